"""Analyses of a text made ahead, in another process, for the process that needs them to take.

An import reads its records in a worker process (essaybank.workers) while another writes them,
and the writer analyses the texts it has written at the end of each chunk. A function of one text
decorated with @made_ahead can be run by the worker (`function.make(text)`), its result handed to
the writer (`function.keep(text, result)`), and the writer's own call of the function with that
text takes the result instead of making it again. Only a pure function of its text is made ahead:
its result is the same whichever process made it, and a text nobody kept is simply analysed.
"""

import collections
import functools

# Results kept per function, oldest dropped first: as many as an import's chunk and the records
# read ahead of it hold, so that a result nobody takes does not stay.
KEPT = 500


class MadeAhead:
    """A function of one text whose results may be made elsewhere and kept here until called for."""

    def __init__(self, function, size=KEPT):
        functools.update_wrapper(self, function)
        self.function, self.size = function, size
        self.kept = collections.OrderedDict()

    def __call__(self, text):
        if text in self.kept:
            return self.kept.pop(text)
        return self.function(text)

    def __reduce__(self):
        # Pickled by name, like the function it wraps: a worker's results name what made them.
        return self.__qualname__

    def make(self, text):
        """(text, result) for keep() in another process."""
        return text, self.function(text)

    def keep(self, text, result):
        """Have the next call with this text return `result`, made by make() elsewhere."""
        self.kept[text] = result
        self.kept.move_to_end(text)
        while len(self.kept) > self.size:
            self.kept.popitem(last=False)


def made_ahead(function):
    """Decorator: the function, as a MadeAhead."""
    return MadeAhead(function)


def keep_all(made):
    """Keep each (MadeAhead, text, result) of a worker, as its keep() does."""
    for function, text, result in made:
        function.keep(text, result)
