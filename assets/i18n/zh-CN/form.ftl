# the new and edit forms, papers in a dossier
