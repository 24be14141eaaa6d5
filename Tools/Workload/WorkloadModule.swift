enum WorkloadModule {}
