# scans-gui: keys of that area (both languages, same keys).
