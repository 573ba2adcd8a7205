using Mosh.Network;
using Mosh.StateSync;

namespace Mosh.Tests.StateSync;

[TestFixture]
public class SessionLoopTests
{
    [Test]
    public void A_network_error_ends_only_its_turn_and_the_loop_runs_until_a_turn_says_to_leave()
    {
        int turns = 0;
        var errors = new List<string>();

        SessionLoop.Run(() => ++turns switch
        {
            1 or 3 => throw new NetworkException($"bad {turns}"),
            5 => false,
            _ => true,
        }, e => errors.Add(e.Message));

        Assert.That(turns, Is.EqualTo(5));
        Assert.That(errors, Is.EqualTo(new[] { "bad 1", "bad 3" }));
    }

    [Test]
    public void Any_other_exception_leaves_the_loop()
    {
        int turns = 0;

        Assert.Throws<InvalidOperationException>(() => SessionLoop.Run(() => ++turns < 3 ? true : throw new InvalidOperationException(),
            _ => Assert.Fail("not a network error")));
        Assert.That(turns, Is.EqualTo(3));
    }
}
