using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class RowTests
{
    private static readonly Renditions Plain = default;

    [Test]
    public void CellIsThirtyTwoBytesWithoutReferences()
    {
        Assert.That(System.Runtime.CompilerServices.Unsafe.SizeOf<Cell>(), Is.EqualTo(32));
        Assert.That(System.Runtime.CompilerServices.RuntimeHelpers.IsReferenceOrContainsReferences<Cell>(), Is.False);
    }

    [Test]
    public void Every_cell_past_InkEnd_is_an_erased_default_cell_after_any_mix_of_edits()
    {
        // Printing (ASCII, wide, combining), erasing and inserting/deleting cells with and without a background
        // colour, scrolling and resizing, in a seeded random mix; after each step every row's cells from InkEnd on
        // must be all zero bytes (HistoryLine and Row.Reset rely on it).
        string[] pieces =
        [
            "abc", "\u4e00", "e\u0301", "\u0301", "\e[44m", "\e[0m", "\e[31;1m", "\e[2@", "\e[3P", "\e[K", "\e[1K", "\e[2K",
            "\e[4X", "\e[5G", "\e[20G", "\r\n", "\e[2J", "\e[1;1H", "\e[L", "\e[M", "\e[S", "\e[T", "\e#8",
            "\e]8;;http://x\e\\", "\e]8;;\e\\", "      ", "\e[?3h",
        ];
        var random = new Random(16);
        var emulator = new Emulator(20, 5);
        for (int step = 0; step < 3000; step++)
        {
            if (step % 500 == 499)
            {
                emulator.Resize(random.Next(5, 30), random.Next(2, 7));
            }

            emulator.Write(System.Text.Encoding.UTF8.GetBytes(pieces[random.Next(pieces.Length)]));
            foreach (Row row in emulator.Framebuffer.Rows)
            {
                var rest = System.Runtime.InteropServices.MemoryMarshal.AsBytes(row.Cells[row.InkEnd..]);
                Assert.That(rest.IndexOfAnyExcept((byte)0), Is.EqualTo(-1), $"step {step}: {row}");
            }
        }
    }

    [Test]
    public void BlankRowHasEmptyCellsWithTheBackground()
    {
        var row = Row.CreateBlank(4, TerminalColor.Indexed(4));
        Assert.That(row.Width, Is.EqualTo(4));
        Assert.That(row[3].IsEmpty, Is.True);
        Assert.That(row[3].Renditions.Background, Is.EqualTo(TerminalColor.Indexed(4)));
    }

    [Test]
    public void SetCharacterStoresAstralCharactersInline()
    {
        var row = Row.CreateBlank(4, default);
        row.SetCharacter(1, 0x1F600, Plain, wide: true);
        Assert.That(row.GetTextString(1), Is.EqualTo("\U0001F600"));
        Assert.That(row[1].IsWide, Is.True);
        Assert.That(row[1].Utf8Length, Is.EqualTo(4));
    }

    [Test]
    public void CombiningMarksAppendToTheCell()
    {
        var row = Row.CreateBlank(4, default);
        row.SetCharacter(0, 'e', Plain, wide: false);
        row.AppendToCell(0, 0x301);
        Assert.That(row.GetTextString(0), Is.EqualTo("e\u0301"));
        Assert.That(row[0].Flags & CellFlags.Overflow, Is.EqualTo(CellFlags.None));
    }

    [Test]
    public void LongGraphemeOverflowsInlineStorageAndStaysReadable()
    {
        var row = Row.CreateBlank(4, default);
        row.SetCharacter(2, 'a', Plain, wide: false);
        string expected = "a";
        for (int i = 0; i < 8; i++)
        {
            row.AppendToCell(2, 0x300 + i);
            expected += (char)(0x300 + i);
        }

        Assert.That(row.GetTextString(2), Is.EqualTo(expected));
        Assert.That(row[2].Flags.HasFlag(CellFlags.Overflow), Is.True);
    }

    [Test]
    public void CellStopsTakingMarksAtThirtyTwoUtf8Bytes()
    {
        var row = Row.CreateBlank(2, default);
        row.SetCharacter(0, 'a', Plain, wide: false);
        for (int i = 0; i < 40; i++)
        {
            row.AppendToCell(0, 0x301); // two UTF-8 bytes each
        }

        // 1 + 15 * 2 = 31 bytes is not full, one more mark makes 33, then nothing more.
        Assert.That(row[0].Utf8Length, Is.EqualTo(33));
        Assert.That(row.GetText(0).Length, Is.EqualTo(17));
    }

    [Test]
    public void RowsWithSameCellsAreContentEqualEvenWithDifferentGenerations()
    {
        var a = Row.CreateBlank(5, default);
        var b = Row.CreateBlank(5, default);
        a.SetCharacter(0, 'x', Plain, false);
        b.SetCharacter(0, 'x', Plain, false);
        Assert.That(a.ContentEquals(b), Is.True);
        Assert.That(a.IdenticalTo(b), Is.False);
        b.SetCharacter(4, 'y', Plain, false);
        Assert.That(a.ContentEquals(b), Is.False);
    }

    [Test]
    public void OverflowGraphemesCompareByText()
    {
        var a = Row.CreateBlank(3, default);
        var b = Row.CreateBlank(3, default);
        foreach (var row in new[] { a, b })
        {
            row.SetCharacter(0, 'a', Plain, false);
            for (int i = 0; i < 7; i++)
            {
                row.AppendToCell(0, 0x300);
            }
        }

        a.AppendToCell(0, 0x301);
        b.AppendToCell(0, 0x302);
        Assert.That(a.ContentEquals(b), Is.False);
        Assert.That(a.CellEquals(0, b, 0), Is.False);
    }

    [Test]
    public void WrapFlagTakesPartInEquality()
    {
        var a = Row.CreateBlank(3, default);
        var b = a.Clone();
        b.Wrap = true;
        Assert.That(a.ContentEquals(b), Is.False);
    }

    [Test]
    public void InsertCellsShiftsRightAndDropsTheWrapFlag()
    {
        var row = Row.CreateBlank(4, default);
        row.SetCharacter(0, 'a', Plain, false);
        row.SetCharacter(1, 'b', Plain, false);
        row.Wrap = true;
        row.InsertCells(0, 2, TerminalColor.Indexed(1));
        Assert.That(row.ToString(), Is.EqualTo("  ab"));
        Assert.That(row[0].Renditions.Background, Is.EqualTo(TerminalColor.Indexed(1)));
        Assert.That(row.Wrap, Is.False);
    }

    [Test]
    public void DeleteCellsShiftsLeftAndFillsWithBackground()
    {
        var row = Row.CreateBlank(4, default);
        for (int i = 0; i < 4; i++)
        {
            row.SetCharacter(i, 'a' + i, Plain, false);
        }

        row.DeleteCells(1, 2, TerminalColor.Indexed(2));
        Assert.That(row.ToString(), Is.EqualTo("ad  "));
        Assert.That(row[3].Renditions.Background, Is.EqualTo(TerminalColor.Indexed(2)));
    }

    [Test]
    public void HugeInsertCountIsCappedAtTheRowEnd()
    {
        var row = Row.CreateBlank(4, default);
        row.SetCharacter(0, 'a', Plain, false);
        row.InsertCells(1, int.MaxValue, default);
        Assert.That(row.ToString(), Is.EqualTo("a   "));
    }

    [Test]
    public void ResettingTheLastCellClearsWrap()
    {
        var row = Row.CreateBlank(3, default);
        row.Wrap = true;
        row.ResetCell(1, default);
        Assert.That(row.Wrap, Is.True);
        row.ResetCell(2, default);
        Assert.That(row.Wrap, Is.False);
    }

    [Test]
    public void ResetGivesANewGenerationAndCloneKeepsIt()
    {
        var row = Row.CreateBlank(3, default);
        ulong gen = row.Gen;
        Assert.That(row.Clone().Gen, Is.EqualTo(gen));
        row.Reset(default);
        Assert.That(row.Gen, Is.Not.EqualTo(gen));
    }

    [Test]
    public void BlankMeansEmptySpaceOrNoBreakSpace()
    {
        var row = Row.CreateBlank(4, default);
        row.SetCharacter(1, ' ', Plain, false);
        row.SetCharacter(2, 0xA0, Plain, false);
        row.SetCharacter(3, 'x', Plain, false);
        Assert.That(new[] { row[0].IsBlank, row[1].IsBlank, row[2].IsBlank, row[3].IsBlank }, Is.EqualTo(new[] { true, true, true, false }));
        Assert.That(row.ContentsMatch(0, row, 1), Is.True);
    }

    [Test]
    public void RepeatsAfterACellCountIdenticalCellsUpToTheFirstDifference()
    {
        var row = Row.CreateBlank(12, default);
        row.SetRenditions(6, Renditions.WithBackground(TerminalColor.Indexed(1)));
        row.SetWide(9, true);
        Assert.That(row.CountRepeatsAfter(0), Is.EqualTo(5), "columns 1-5 match column 0; column 6 has another background");
        Assert.That(row.CountRepeatsAfter(6), Is.Zero);
        Assert.That(row.CountRepeatsAfter(7), Is.EqualTo(1), "column 9's wide flag differs");
        Assert.That(row.CountRepeatsAfter(10), Is.EqualTo(1));
        Assert.That(row.CountRepeatsAfter(11), Is.Zero, "nothing after the last column");
        row.SetCharacter(3, 'x', Plain, false);
        Assert.That(row.CountRepeatsAfter(0), Is.EqualTo(2));
    }
}
