"""The registry pages (issue #16): lists per county with search and paging, the upload of an
official list, the review of its ambiguous rows, and the records behind a count."""
