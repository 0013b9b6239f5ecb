import { isSmallCell, suppressSmallCells, suppressSmallCellsOfEach } from './small-cell-suppression.js';

describe('small-cell suppression', () => {
  it('hides counts of 1..min-1, never an empty cell', () => {
    expect([0, 1, 2, 3, 4].map((count) => isSmallCell(count, 3))).toEqual([false, true, true, false, false]);
    expect(suppressSmallCells([0, 0, 5, 7], 3)).toEqual({ cells: [false, false, false, false], total: false });
  });

  it('hides nothing when every cell is large enough', () => {
    expect(suppressSmallCells([3, 10, 4], 3)).toEqual({ cells: [false, false, false], total: false });
  });

  it('hides the next-smallest cell when exactly one is hidden (secondary suppression)', () => {
    expect(suppressSmallCells([10, 2, 4, 9], 3)).toEqual({ cells: [false, true, true, false], total: false });
  });

  it('keeps hiding while the hidden cells together stay below the minimum', () => {
    // 1 + 1 = 2 < 3: the total minus the visible cells would give a cell of two reviews.
    expect(suppressSmallCells([1, 1, 50, 8], 3)).toEqual({ cells: [true, true, false, true], total: false });
  });

  it('takes cover from a non-empty cell before an empty one', () => {
    expect(suppressSmallCells([2, 6, 0], 3)).toEqual({ cells: [true, true, false], total: false });
  });

  it('breaks ties by input order, so the result does not depend on anything but the input', () => {
    expect(suppressSmallCells([2, 5, 5], 3).cells).toEqual([true, true, false]);
  });

  it('hides an empty cell as cover when nothing else is left, and then the total too', () => {
    expect(suppressSmallCells([2, 0], 3)).toEqual({ cells: [true, true], total: true });
  });

  it('hides the total of a group of one small cell, and a small total', () => {
    expect(suppressSmallCells([2], 3)).toEqual({ cells: [true], total: true });
    expect(suppressSmallCells([5], 3)).toEqual({ cells: [false], total: false });
    expect(suppressSmallCells([], 3)).toEqual({ cells: [], total: false });
  });

  it('with a minimum of 1 hides nothing', () => {
    expect(suppressSmallCells([1, 0, 2], 1)).toEqual({ cells: [false, false, false], total: false });
  });

  it('refuses a minimum that is not a positive integer', () => {
    expect(() => suppressSmallCells([1], 0)).toThrow(RangeError);
  });

  it('suppresses on each count that backs figures: a cell of no completed review cannot cover a small one', () => {
    // Completed / sampled per Jobcenter: P 2/2, Q 0/4, R 20/20. On sampled counts alone Q would cover P,
    // yet Q adds nothing to the findings, so the total minus R would give P's findings back.
    const cells = [
      [2, 2],
      [0, 4],
      [20, 20],
    ];
    expect(suppressSmallCells([2, 4, 20], 3)).toEqual({ cells: [true, true, false], total: false });
    const both = suppressSmallCellsOfEach(cells, 3);
    // On completed counts P is hidden alone and R (not the empty Q) covers it; with every cell hidden the
    // total gives nothing away.
    expect(both).toEqual({ cells: [true, true, true], total: false });
    expect(suppressSmallCellsOfEach([[5], [2], [9]], 3)).toEqual(suppressSmallCells([5, 2, 9], 3));
  });
});
