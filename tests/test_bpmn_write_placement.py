"""Where notes go: pure geometry, no files."""

from bpmncx.bpmn.placement import connect, contains, overlaps, place, row_above
from bpmncx.model import Bounds, Point

TASK = Bounds(200, 200, 100, 80)


def test_the_nearest_free_place_is_above():
    box = place(TASK, 150, 60, obstacles=[TASK])
    assert box.bottom <= TASK.y and abs(box.cx - TASK.cx) < 1


def test_occupied_places_are_skipped():
    above = Bounds(150, 60, 200, 130)
    box = place(TASK, 150, 60, obstacles=[TASK, above])
    assert not overlaps(box, above) and not overlaps(box, TASK)


def test_flows_are_not_covered_when_there_is_room():
    flow = (Point(250, 0), Point(250, 200))  # a flow arriving from above
    box = place(TASK, 150, 60, obstacles=[TASK], segments=[flow])
    assert not (box.x <= 250 <= box.right and box.bottom <= TASK.y)


def test_a_note_stays_inside_its_pool_or_wholly_outside():
    pool = Bounds(100, 150, 600, 200)
    box = place(TASK, 150, 60, obstacles=[TASK], containers=[pool])
    assert contains(pool, box) or not overlaps(pool, box)


def test_the_line_ends_on_the_bracket():
    above = Bounds(180, 100, 150, 60)
    start, end = connect(TASK, above)
    assert end == Point(180, 160)  # lower end of the bracket
    assert start.y == TASK.y  # on the task's top border
    right = Bounds(350, 210, 150, 60)
    start, end = connect(TASK, right)
    assert end.x == 350 and 210 <= end.y <= 270 and start.x == TASK.right


def test_row_above_everything():
    boxes = row_above([(100, 40), (100, 60)], [TASK, Bounds(0, 50, 10, 10)])
    assert all(b.bottom < 50 for b in boxes)
    assert boxes[1].x >= boxes[0].right


def test_the_indexed_surroundings_place_as_the_plain_lists_do():
    from bpmncx.bpmn.placement import Surroundings

    pool = Bounds(-100, -5000, 3000, 8000)  # the pool round the task
    other_pool = Bounds(3000, -200, 500, 300)  # another pool: an obstacle
    shapes = [TASK] + [Bounds(x, y, 100, 80) for x in range(-300, 900, 130)
                       for y in range(-300, 700, 110) if (x, y) != (TASK.x, TASK.y)]
    flows = [(Point(0, 90), Point(800, 90)), (Point(250, -400), Point(250, 800))]
    for obstacles in ([TASK], [TASK, other_pool], shapes + [other_pool]):
        plain = place(TASK, 150, 60, obstacles, flows, [pool])
        around = Surroundings([o for o in obstacles if o is not other_pool], flows,
                              [pool] + [o for o in obstacles if o is other_pool])
        assert place(TASK, 150, 60, around) == plain
    # nothing fits: the note goes above the shapes, not above the pool round them
    crowded = Bounds(-2000, -1000, 5000, 5000)
    around = Surroundings([TASK, crowded], (), [pool])
    box = place(TASK, 150, 60, around)
    assert box == place(TASK, 150, 60, [TASK, crowded], (), [pool])
    assert box.bottom < crowded.y and box.y > pool.y


def test_a_box_of_negative_size_is_still_found_in_the_grid():
    from bpmncx.bpmn.placement import Grid

    grid = Grid()
    odd = Bounds(300, 300, -200, -150)  # right and bottom before x and y
    grid.add_box("odd", odd)
    assert list(grid.near(120, 160, 130, 170)) == ["odd"]
    assert list(grid.near(1000, 1000, 1010, 1010)) == []
