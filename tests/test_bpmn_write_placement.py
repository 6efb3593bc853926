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
