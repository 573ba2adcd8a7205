using Mosh.Client;
using Mosh.Terminal;

namespace Mosh.Tests.Client;

[TestFixture]
public class TitlePrefixTests
{
    [Test]
    public void The_prefix_goes_before_the_title_and_an_equal_icon_name_stays_equal()
    {
        var frame = new Framebuffer(10, 2);
        frame.SetWindowTitle("t");
        frame.SetIconName("t");
        new TitlePrefix(TitlePrefix.Mosh).Apply(frame, 0);
        Assert.That((frame.WindowTitle, frame.IconName), Is.EqualTo(("[mosh] t", "[mosh] t")));
    }

    [Test]
    public void A_different_icon_name_is_left_alone()
    {
        var frame = new Framebuffer(10, 2);
        frame.SetWindowTitle("t");
        frame.SetIconName("i");
        new TitlePrefix(TitlePrefix.Mosh).Apply(frame, 0);
        Assert.That((frame.WindowTitle, frame.IconName), Is.EqualTo(("[mosh] t", "i")));
    }

    [Test]
    public void A_changed_title_gets_the_prefix_anew()
    {
        var overlay = new TitlePrefix(TitlePrefix.Mosh);
        var frame = new Framebuffer(10, 2);
        frame.SetWindowTitle("one");
        overlay.Apply(frame, 0);
        frame.SetWindowTitle("two");
        overlay.Apply(frame, 0);
        Assert.That(frame.WindowTitle, Is.EqualTo("[mosh] two"));
    }

    [Test]
    public void An_empty_prefix_changes_nothing()
    {
        var frame = new Framebuffer(10, 2);
        frame.SetWindowTitle("t");
        new TitlePrefix("").Apply(frame, 0);
        Assert.That(frame.WindowTitle, Is.EqualTo("t"));
    }
}
