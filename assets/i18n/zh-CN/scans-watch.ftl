# scans-watch: keys of that area (both languages, same keys).
