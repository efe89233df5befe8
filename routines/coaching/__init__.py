"""Coaching: tonight follows this morning. Pure rules over the journal's rows and a date.

Each rule is a function of the nights and mornings recorded so far, tonight's date and the
thresholds (`CoachRules`, the `[coaching]` config section); no clock, no I/O. Each one
suggests, never diagnoses, says why in one line, and names the words of the seed article
(shared/seed/psoas-bed-stretches.txt) it comes from. `plan.plan_tonight` puts them together.
"""
