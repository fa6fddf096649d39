public enum LeadTableModule {}
