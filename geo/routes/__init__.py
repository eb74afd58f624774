"""Service-team routes: horseback teams and itinerant courts that follow herders between seasonal pastures.

teams (who travels, from where, how fast), stops (camps and court sittings with their time windows and
priority), distance (the pluggable travel matrix), schedule (timing one ordered route by the rules),
planning (the OR-Tools model), baseline (a nearest-neighbour plan to compare with), gpx (plans out, tracks
in), tracks (the store's trips made: import, visits, coverage) and season (a plan straight from a store).
"""
