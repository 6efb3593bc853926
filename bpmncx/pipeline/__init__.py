"""The orchestration layer: the only package that imports every other one.

Each command is a pipeline read top to bottom: load the inputs once
(:mod:`.inputs`), analyse once (:func:`bpmncx.analyse`), build the scenes,
write the outputs (:mod:`.outputs` names them; :mod:`.annotate`, :mod:`.gaps`
and :mod:`.batch` run them). The CLI is a thin layer over these functions.
"""
