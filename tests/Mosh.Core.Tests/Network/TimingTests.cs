using Mosh.Network;

namespace Mosh.Tests.Network;

[TestFixture]
public class Timestamp16Tests
{
    [TestCase(0L, (ushort)0)]
    [TestCase(65534L, (ushort)65534)]
    [TestCase(65535L, (ushort)0)]
    [TestCase(65536L, (ushort)0)]
    [TestCase(65537L, (ushort)1)]
    [TestCase(3 * 65536L + 65535L, (ushort)0)]
    public void ClockIsTakenModulo65536WithTheNoneValueSkipped(long clock, ushort expected)
    {
        Assert.That(Timestamp16.From(clock), Is.EqualTo(expected));
    }

    [Test]
    public void DifferenceWrapsAround()
    {
        Assert.That(Timestamp16.Difference(5, 65530), Is.EqualTo(11));
        Assert.That(Timestamp16.Difference(100, 40), Is.EqualTo(60));
    }

    [Test]
    public void MonotonicClockDoesNotGoBackwards()
    {
        long first = MonotonicClock.Instance.NowMilliseconds;
        Assert.That(MonotonicClock.Instance.NowMilliseconds, Is.GreaterThanOrEqualTo(first));
    }
}

[TestFixture]
public class RttEstimatorTests
{
    private ManualClock _clock = null!;
    private RttEstimator _rtt = null!;

    [SetUp]
    public void SetUp()
    {
        _clock = new ManualClock();
        _rtt = new RttEstimator(_clock);
    }

    [Test]
    public void InitialEstimateIsUpstreams()
    {
        Assert.That(_rtt.Srtt, Is.EqualTo(1000));
        Assert.That(_rtt.RttVar, Is.EqualTo(500));
        Assert.That(_rtt.HasSample, Is.False);
        Assert.That(_rtt.TimeoutMilliseconds, Is.EqualTo(1000), "3000 clamped to MAX_RTO");
    }

    [Test]
    public void FirstSampleSetsSrttAndHalfAsVariance()
    {
        _rtt.AddSample(100);
        Assert.That(_rtt.Srtt, Is.EqualTo(100));
        Assert.That(_rtt.RttVar, Is.EqualTo(50));
        Assert.That(_rtt.TimeoutMilliseconds, Is.EqualTo(300));
    }

    [Test]
    public void LaterSamplesFollowRfc6298()
    {
        _rtt.AddSample(100);
        _rtt.AddSample(200);
        Assert.That(_rtt.RttVar, Is.EqualTo((0.75 * 50) + (0.25 * 100)));
        Assert.That(_rtt.Srtt, Is.EqualTo((0.875 * 100) + (0.125 * 200)));
        Assert.That(_rtt.TimeoutMilliseconds, Is.EqualTo((int)Math.Ceiling(112.5 + (4 * 62.5))));
    }

    [Test]
    public void SamplesOfFiveSecondsOrMoreAreIgnored()
    {
        _rtt.AddSample(5000);
        Assert.That(_rtt.HasSample, Is.False);
        _rtt.AddSample(4999);
        Assert.That(_rtt.Srtt, Is.EqualTo(4999));
    }

    [Test]
    public void TimeoutIsClampedToFiftyMilliseconds()
    {
        _rtt.AddSample(1);
        Assert.That(_rtt.TimeoutMilliseconds, Is.EqualTo(50));
    }

    [Test]
    public void NoReplyIsSentWithoutARecentPeerTimestamp()
    {
        (ushort timestamp, ushort reply) = _rtt.NextOutgoing();
        Assert.That(timestamp, Is.EqualTo(Timestamp16.From(_clock.NowMilliseconds)));
        Assert.That(reply, Is.EqualTo(Timestamp16.None));
    }

    [Test]
    public void ReplyIsThePeerTimestampAdvancedByTheHoldTimeAndIsSentOnce()
    {
        _rtt.OnReceived(timestamp: 40_000, timestampReply: Timestamp16.None, congestionExperienced: false);
        _clock.Advance(30);
        Assert.That(_rtt.NextOutgoing().TimestampReply, Is.EqualTo(40_030));
        Assert.That(_rtt.NextOutgoing().TimestampReply, Is.EqualTo(Timestamp16.None));
    }

    [Test]
    public void ReplyWrapsModulo65536()
    {
        _rtt.OnReceived(timestamp: 65_530, timestampReply: Timestamp16.None, congestionExperienced: false);
        _clock.Advance(10);
        Assert.That(_rtt.NextOutgoing().TimestampReply, Is.EqualTo(4));
    }

    [Test]
    public void TimestampHeldASecondOrMoreIsNotEchoed()
    {
        _rtt.OnReceived(timestamp: 100, timestampReply: Timestamp16.None, congestionExperienced: false);
        _clock.Advance(999);
        Assert.That(_rtt.NextOutgoing().TimestampReply, Is.EqualTo(1099));
        _rtt.OnReceived(timestamp: 100, timestampReply: Timestamp16.None, congestionExperienced: false);
        _clock.Advance(1000);
        Assert.That(_rtt.NextOutgoing().TimestampReply, Is.EqualTo(Timestamp16.None));
    }

    [Test]
    public void NoneTimestampIsNotSaved()
    {
        _rtt.OnReceived(timestamp: Timestamp16.None, timestampReply: Timestamp16.None, congestionExperienced: false);
        Assert.That(_rtt.NextOutgoing().TimestampReply, Is.EqualTo(Timestamp16.None));
    }

    [Test]
    public void CongestionExperiencedMakesTheEchoFiveHundredMillisecondsOlder()
    {
        _rtt.OnReceived(timestamp: 200, timestampReply: Timestamp16.None, congestionExperienced: true);
        Assert.That(_rtt.NextOutgoing().TimestampReply, Is.EqualTo(unchecked((ushort)(200 - 500))));
    }

    [Test]
    public void EchoedOwnTimestampGivesTheRoundTripSample()
    {
        // Sent at t0; the peer held it 20 ms, so it echoes t0+20; the echo arrives at t0+70: R = 70 - 20 = 50 ms,
        // the network time without the peer's hold time.
        ushort sent = _rtt.NextOutgoing().Timestamp;
        _clock.Advance(70);
        _rtt.OnReceived(timestamp: 9, timestampReply: unchecked((ushort)(sent + 20)), congestionExperienced: false);
        Assert.That(_rtt.HasSample, Is.True);
        Assert.That(_rtt.Srtt, Is.EqualTo(50));
        Assert.That(_rtt.RttVar, Is.EqualTo(25));
    }

    [Test]
    public void EchoFromTheFutureGivesAHugeSampleThatIsIgnored()
    {
        ushort now = Timestamp16.From(_clock.NowMilliseconds);
        _rtt.OnReceived(timestamp: Timestamp16.None, timestampReply: unchecked((ushort)(now + 10)), congestionExperienced: false);
        Assert.That(_rtt.HasSample, Is.False);
    }
}
