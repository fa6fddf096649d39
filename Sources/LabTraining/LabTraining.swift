public enum LabTrainingModule {}
