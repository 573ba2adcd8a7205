using BenchmarkDotNet.Attributes;
using Mosh.Crypto;

namespace Mosh.Benchmarks.Crypto;

/// <summary>
/// Seal and open of one datagram through <see cref="CryptoSession"/> (AES-128-OCB plus the 24-byte framing),
/// per AES implementation and message size: 64 B (a keystroke), 1024 B, 1200 B (about a full IPv4 datagram).
/// Compare with <c>openssl speed -evp aes-128-ocb</c>.
/// </summary>
[MemoryDiagnoser]
public class OcbBenchmarks
{
    private CryptoSession _session = null!;
    private byte[] _plaintext = null!;
    private byte[] _datagram = null!;
    private byte[] _opened = null!;
    private int _sealedLength;
    private ulong _nonce;

    // A string because the implementation enum is internal and benchmark parameters must be public.
    [Params(nameof(AesImplementation.AesNi), nameof(AesImplementation.Shuffle), nameof(AesImplementation.Portable))]
    public string Aes { get; set; } = nameof(AesImplementation.AesNi);

    [Params(64, 1024, 1200)]
    public int Bytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _session = new CryptoSession(SessionKey.Generate(), Enum.Parse<AesImplementation>(Aes));
        _plaintext = new byte[Bytes];
        new Random(1).NextBytes(_plaintext);
        _datagram = new byte[Bytes + CryptoSession.Overhead];
        _opened = new byte[Bytes];
        _sealedLength = _session.Seal(0, _plaintext, _datagram);
    }

    [GlobalCleanup]
    public void Cleanup() => _session.Dispose();

    [Benchmark]
    public int Seal() => _session.Seal(_nonce++, _plaintext, _datagram);

    [Benchmark]
    public bool Open() => _session.TryOpen(_datagram.AsSpan(0, _sealedLength), _opened, out _, out _);
}
