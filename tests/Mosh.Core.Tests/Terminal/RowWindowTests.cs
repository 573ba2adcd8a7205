using System.Text;
using Mosh.Terminal;

namespace Mosh.Tests.Terminal;

[TestFixture]
public class RowWindowTests
{
    private static Row Numbered(int n)
    {
        var row = Row.CreateBlank(8, default);
        row.SetAscii(0, Encoding.ASCII.GetBytes(n.ToString(System.Globalization.CultureInfo.InvariantCulture)), default);
        return row;
    }

    private static string[] Texts(RowWindow window)
    {
        var texts = new string[window.Length];
        for (int i = 0; i < window.Length; i++)
        {
            texts[i] = window[i]?.ToString().TrimEnd() ?? "null";
        }

        return texts;
    }

    [Test]
    public void Scrolling_by_one_and_by_several_across_many_screenfuls_keeps_the_rows_in_order()
    {
        var window = new RowWindow(3);
        int next = 0;
        for (int i = 0; i < 3; i++)
        {
            window[i] = Numbered(next++);
        }

        var random = new Random(7);
        for (int step = 0; step < 200; step++)
        {
            int count = random.Next(1, 4);
            window.ScrollUp(count);
            for (int i = window.Length - count; i < window.Length; i++)
            {
                Assert.That(window[i], Is.Null, "new slots are empty until filled");
                window[i] = Numbered(next++);
            }

            Assert.That(Texts(window), Is.EqualTo(new[] { $"{next - 3}", $"{next - 2}", $"{next - 1}" }), $"step {step}");
        }
    }

    [Test]
    public void A_clone_and_a_resize_keep_the_rows_from_the_top()
    {
        var window = new RowWindow(3);
        for (int i = 0; i < 3; i++)
        {
            window[i] = Numbered(i);
        }

        window.ScrollUp(2);
        window[1] = Numbered(3);
        window[2] = Numbered(4);
        RowWindow clone = window.Clone();
        window.Resize(4);

        Assert.That(Texts(clone), Is.EqualTo(new[] { "2", "3", "4" }));
        Assert.That(Texts(window), Is.EqualTo(new[] { "2", "3", "4", "null" }));
        Assert.That(ReferenceEquals(clone[0], window[0]), Is.True, "the same rows, not copies");
    }

    [Test]
    public void A_scrolling_terminal_shows_the_newest_lines_after_thousands_of_them()
    {
        var emulator = new Emulator(10, 4);
        var text = new StringBuilder();
        for (int i = 1; i <= 5000; i++)
        {
            text.Append(i).Append("\r\n");
        }

        emulator.Write(Encoding.ASCII.GetBytes(text.Append("\e[2Send").ToString()));

        Assert.That(emulator.Framebuffer.ToString().Split('\n').Select(l => l.TrimEnd()),
            Is.EqualTo(new[] { "5000", "", "", "end" }));
    }
}
