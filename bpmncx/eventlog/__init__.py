"""Event logs: the Voice of the Process and the Voice of the Customer, measured."""
