"""Sources of sample blocks: every source is an async iterator of SampleBlock."""
