using System.Runtime.Intrinsics;
using System.Security.Cryptography;
using Mosh.Crypto;

namespace Mosh.Tests.Crypto;

[TestFixture(AesImplementations.AesNi)]
[TestFixture(AesImplementations.ArmAes)]
[TestFixture(AesImplementations.Shuffle)]
[TestFixture(AesImplementations.Portable)]
public class AesBlockTests
{
    private readonly string _implementationName;

    public AesBlockTests(string implementation) => _implementationName = implementation;

    [SetUp]
    public void RequireImplementation() => AesImplementations.Require(_implementationName);

    private IAes128Engine Create(ReadOnlySpan<byte> key) => _implementationName switch
    {
        AesImplementations.AesNi => new Aes128Ni(key),
        AesImplementations.ArmAes => new Aes128Arm(key),
        AesImplementations.Shuffle => new Aes128Shuffle(key),
        _ => new Aes128Portable(key),
    };

    /// <summary>FIPS-197 Appendix C.1, the AES-128 example.</summary>
    [Test]
    public void EncryptsAndDecryptsTheFips197Example()
    {
        IAes128Engine aes = Create(Convert.FromHexString("000102030405060708090a0b0c0d0e0f"));
        Vector128<byte> plaintext = Vector128.Create(Convert.FromHexString("00112233445566778899aabbccddeeff"));

        Vector128<byte> ciphertext = aes.Encrypt(plaintext);

        Assert.That(Convert.ToHexString(ToArray(ciphertext)), Is.EqualTo("69C4E0D86A7B0430D8CDB78070B4C55A"));
        Assert.That(aes.Decrypt(ciphertext), Is.EqualTo(plaintext));
    }

    [Test]
    public void AgreesWithTheOperatingSystemAesOnRandomKeysAndBlocks()
    {
        var random = new Random(197);
        using var reference = Aes.Create();
        for (int i = 0; i < 500; i++)
        {
            byte[] key = OcbAes128Tests.RandomBytes(random, 16);
            byte[] block = OcbAes128Tests.RandomBytes(random, 16);
            reference.Key = key;
            IAes128Engine aes = Create(key);

            byte[] expectedCipher = reference.EncryptEcb(block, PaddingMode.None);
            byte[] expectedPlain = reference.DecryptEcb(block, PaddingMode.None);

            Assert.That(ToArray(aes.Encrypt(Vector128.Create(block))), Is.EqualTo(expectedCipher), $"encrypt #{i}");
            Assert.That(ToArray(aes.Decrypt(Vector128.Create(block))), Is.EqualTo(expectedPlain), $"decrypt #{i}");
        }
    }

    [Test]
    public void InterleavedBlocksGiveTheSameResultsAsSingleBlocks()
    {
        var random = new Random(8);
        IAes128Engine aes = Create(OcbAes128Tests.RandomBytes(random, 16));
        var blocks = new Vector128<byte>[8];
        for (int i = 0; i < blocks.Length; i++)
        {
            blocks[i] = Vector128.Create(OcbAes128Tests.RandomBytes(random, 16));
        }

        Vector128<byte>[] e8 = (Vector128<byte>[])blocks.Clone();
        aes.Encrypt8(ref e8[0], ref e8[1], ref e8[2], ref e8[3], ref e8[4], ref e8[5], ref e8[6], ref e8[7]);
        Vector128<byte>[] e4 = (Vector128<byte>[])blocks.Clone();
        aes.Encrypt4(ref e4[0], ref e4[1], ref e4[2], ref e4[3]);
        Vector128<byte>[] d8 = (Vector128<byte>[])blocks.Clone();
        aes.Decrypt8(ref d8[0], ref d8[1], ref d8[2], ref d8[3], ref d8[4], ref d8[5], ref d8[6], ref d8[7]);
        Vector128<byte>[] d4 = (Vector128<byte>[])blocks.Clone();
        aes.Decrypt4(ref d4[0], ref d4[1], ref d4[2], ref d4[3]);

        for (int i = 0; i < 8; i++)
        {
            Assert.That(e8[i], Is.EqualTo(aes.Encrypt(blocks[i])), $"Encrypt8 block {i}");
            Assert.That(d8[i], Is.EqualTo(aes.Decrypt(blocks[i])), $"Decrypt8 block {i}");
            if (i < 4)
            {
                Assert.That(e4[i], Is.EqualTo(aes.Encrypt(blocks[i])), $"Encrypt4 block {i}");
                Assert.That(d4[i], Is.EqualTo(aes.Decrypt(blocks[i])), $"Decrypt4 block {i}");
            }
        }
    }

    [Test]
    public void AllZeroAndAllOneKeysAndBlocksAgreeWithTheOperatingSystemAes()
    {
        // Edge values for the S-box selection by high nibble (0x0 and 0xF rows) and for xtime's carry.
        using var reference = Aes.Create();
        foreach (byte keyByte in new byte[] { 0x00, 0xFF, 0x80, 0x7F })
        {
            foreach (byte blockByte in new byte[] { 0x00, 0xFF, 0x80, 0x7F })
            {
                byte[] key = Enumerable.Repeat(keyByte, 16).ToArray();
                byte[] block = Enumerable.Repeat(blockByte, 16).ToArray();
                reference.Key = key;
                IAes128Engine aes = Create(key);
                Assert.That(ToArray(aes.Encrypt(Vector128.Create(block))), Is.EqualTo(reference.EncryptEcb(block, PaddingMode.None)));
                Assert.That(ToArray(aes.Decrypt(Vector128.Create(block))), Is.EqualTo(reference.DecryptEcb(block, PaddingMode.None)));
            }
        }
    }

    private static byte[] ToArray(Vector128<byte> block)
    {
        byte[] bytes = new byte[16];
        block.CopyTo(bytes);
        return bytes;
    }
}
