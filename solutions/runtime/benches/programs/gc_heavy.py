import gc


class Node:
    def __init__(self, name):
        self.name = name
        self.peer = None


gc.set_threshold(700, 10, 10)
made = 0
for round in range(200):
    ring = [Node(i) for i in range(100)]
    for i in range(100):
        ring[i].peer = ring[(i + 1) % 100]
    made += len(ring)
    del ring
stats = gc.get_stats()
print("made", made, "collections", sum([s["collections"] for s in stats]) > 0)
print("left after collect:", gc.collect() >= 0)
