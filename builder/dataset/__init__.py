"""The built dataset: a validated repository as a Hugging Face dataset folder, `OUT/<version>/`
(`pipeline`), with its parquet configs (`configs`, `features`, `parquet`), dataset card
(`card`), Croissant metadata (`croissant`), ClaimReview markup (`claimreview`) and checksums
(`checksums`). Importing this package costs nothing; its modules import datasets and pyarrow."""
