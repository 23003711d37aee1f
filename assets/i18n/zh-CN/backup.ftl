# backup
