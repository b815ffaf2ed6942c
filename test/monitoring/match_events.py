"""EventBridge's pattern matching, as moto implements it, for MonitoringStackTest.

    python3 test/monitoring/match_events.py PATTERN.json EVENT.json...   ->   one "<file> true|false" line per event

The events are CloudWatch's documented samples (test/monitoring/events/); the pattern is the synthesized rule's.
"""
import json
import sys

from moto.events.models import EventPattern


def main(pattern_file, *event_files):
    with open(pattern_file) as f:
        pattern = EventPattern.load(f.read())
    for name in event_files:
        with open(name) as f:
            event = json.load(f)
        print(name, "true" if pattern.matches_event(event) else "false")


if __name__ == "__main__":
    main(*sys.argv[1:])
