"""The chairmanship programme: priorities, activities, progress and the outgoing chair's report."""
