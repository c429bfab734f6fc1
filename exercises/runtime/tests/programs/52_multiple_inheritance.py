"""Multiple inheritance, super() and the MRO; one inherited __del__ for all.

`super().__init__(...)` calls the next class in the instance's method resolution order (C3
linearisation, `mro_implementation`): for `Document(Named, Tagged)` that is Document, Named,
Tagged, Base, object, so every `__init__` runs once, in that order. `__del__` is looked up like
any method: `Base.__del__` serves every subclass. `__str__` and `__repr__` decide what print
and repr show.
"""
import gc

gc.disable()


class Base:
    def __init__(self):
        print("  Base.__init__")
        self.alive = True

    def __repr__(self):
        return type(self).__name__ + "()"

    def __del__(self):
        print("  del", repr(self))


class Named(Base):
    def __init__(self, name):
        print("  Named.__init__", name)
        self.name = name
        super().__init__()


class Tagged(Base):
    def __init__(self):
        print("  Tagged.__init__")
        self.tags = []
        super().__init__()


class Document(Named, Tagged):
    def __init__(self, name, tag):
        print("  Document.__init__")
        super().__init__(name)
        self.tags.append(tag)

    def __repr__(self):
        return "Document(" + repr(self.name) + ")"

    def __str__(self):
        return self.name + " " + str(self.tags)


print("create:")
doc = Document("notes", "draft")
print("str:", doc, "- repr:", repr(doc), "- alive:", doc.alive)
print("isinstance:", isinstance(doc, Named), isinstance(doc, Tagged), isinstance(doc, Base))
tagged = Tagged()
print("drop both:")
del doc, tagged

# Expected output (CPython 3.11):
# create:
#   Document.__init__
#   Named.__init__ notes
#   Tagged.__init__
#   Base.__init__
# str: notes ['draft'] - repr: Document('notes') - alive: True
# isinstance: True True True
#   Tagged.__init__
#   Base.__init__
# drop both:
#   del Document('notes')
#   del Tagged()
