using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class UtempterTests
{
    [Test]
    public void Libutempter_is_found_at_run_time_where_Debian_installs_it()
    {
        bool installed = File.Exists("/usr/lib/x86_64-linux-gnu/libutempter.so.0");
        Assert.That(Utempter.IsAvailable, Is.EqualTo(installed));
    }

    [Test]
    public void A_descriptor_that_is_no_pty_master_gets_no_record_and_no_exception()
    {
        using var file = File.OpenRead("/dev/null");
        int fd = (int)file.SafeFileHandle.DangerousGetHandle();
        Assert.Multiple(() =>
        {
            Assert.That(Utempter.AddRecord(fd, "mosh [1]"), Is.False);
            Assert.That(Utempter.RemoveRecord(fd), Is.False);
        });
    }
}
