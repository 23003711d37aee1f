# the settings screen
