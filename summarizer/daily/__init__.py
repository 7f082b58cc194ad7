"""Many articles into one daily brief: the batch runner, the store of briefs, the merge, the narrative
and its rendering."""
