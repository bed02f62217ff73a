"""Media sources: where a gallery's media come from (Olapic today; Mediagraph, Acquia DAM and MomaPIX later)."""
