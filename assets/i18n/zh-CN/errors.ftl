# errors and history entries from the core
