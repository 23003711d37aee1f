# search as you type and the result list
