enum EventsModule {}
