enum ProjectionsModule {}
