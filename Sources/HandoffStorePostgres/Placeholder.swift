// HandoffStorePostgres: filled in by issue 8.
