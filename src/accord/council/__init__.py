"""The council: sessions, agendas, draft decisions, positions and the consensus outcome."""
