"""Alerts: read what Falco said, find the rule that said it, and match it to exceptions.

- `sources` and `shapes`: records from a file or standard input (text lines, JSON lines,
  pretty-printed JSON documents), and what each holds (Falco text, Falco JSON, a log
  shipper's wrapping); streamed, so memory does not grow with the number of lines.
- `formats`, `ruleset` and `resolve`: each rule's output format compiled once per ruleset;
  an alert's rule (its `rule` field, or its text against every output) and its values.
- `silencing`, `coverage` and `suggest`: which exceptions silence an alert on the selected
  Falco, how many each silences, and new entries for the alerts nothing silences.
- `append`: add entries to an existing exceptions file, keeping its text.
"""
