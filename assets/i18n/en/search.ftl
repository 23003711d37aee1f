# search as you type and the result list
search-count-capped = { $count } results; the list shows the first { $shown }: type a few more characters to narrow it
search-more = Show more results
search-loading-more = Loading more…
search-phone-tail = phone ending { $tail }
search-id-tail = ID ending { $tail }
