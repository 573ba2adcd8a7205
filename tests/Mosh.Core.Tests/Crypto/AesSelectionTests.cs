using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;
using Mosh.Crypto;

namespace Mosh.Tests.Crypto;

/// <summary>
/// Which AES engine OCB picks on this machine, checked against what the processor says it has (CPUID on x86-64,
/// the kernel's AT_HWCAP on aarch64, which qemu-user fills in for the CPU it emulates), not against the .NET
/// IsSupported flags the selection itself reads. The choice is printed so test logs show it per architecture.
/// </summary>
[TestFixture]
public partial class AesSelectionTests
{
    private const ulong AT_HWCAP = 16;
    private const ulong HWCAP_AES = 1 << 3; // aarch64's asm/hwcap.h

    // A test-only oracle: the product never asks the kernel for its hardware capabilities.
    [LibraryImport("libc", EntryPoint = "getauxval")]
    private static partial ulong GetAuxVal(ulong type);

    [Test]
    public void AutomaticSelection_UsesTheProcessorsAesInstructions_WhereTheHardwareHasThem()
    {
        using OcbAes128 ocb = new(new byte[16]);
        TestContext.Out.WriteLine($"AES engine on {RuntimeInformation.ProcessArchitecture}: {ocb.Implementation}");
        switch (RuntimeInformation.ProcessArchitecture)
        {
            case Architecture.X64:
                // CPUID leaf 1, ECX bit 25: AES-NI.
                bool aesNi = (X86Base.CpuId(1, 0).Ecx & (1 << 25)) != 0;
                Assert.That(ocb.Implementation, Is.EqualTo(aesNi ? AesImplementation.AesNi : AesImplementation.Shuffle));
                break;
            case Architecture.Arm64:
                bool armAes = (GetAuxVal(AT_HWCAP) & HWCAP_AES) != 0;
                Assert.That(ocb.Implementation, Is.EqualTo(armAes ? AesImplementation.ArmAes : AesImplementation.Shuffle));
                break;
            default:
                Assert.Ignore($"no hardware oracle for {RuntimeInformation.ProcessArchitecture}");
                break;
        }
    }

    [Test]
    public void EveryEngineThisProcessorRuns_AgreesWithTheOthersOnOneBlock()
    {
        // The constant-time fallbacks must stay usable where the AES instructions are, and agree with them.
        var results = new Dictionary<AesImplementation, string>();
        foreach (AesImplementation implementation in Enum.GetValues<AesImplementation>())
        {
            if (implementation == AesImplementation.Automatic
                || (implementation == AesImplementation.AesNi && !Aes128Ni.IsSupported)
                || (implementation == AesImplementation.ArmAes && !Aes128Arm.IsSupported)
                || (implementation == AesImplementation.Shuffle && !Aes128Shuffle.IsSupported))
            {
                continue;
            }

            using var ocb = new OcbAes128(Convert.FromHexString(Rfc7253Vectors.Key), implementation);
            byte[] plaintext = new byte[100];
            byte[] ciphertext = new byte[100];
            byte[] tag = new byte[OcbAes128.TagLength];
            ocb.Encrypt(new byte[OcbAes128.NonceLength], [], plaintext, ciphertext, tag);
            results[implementation] = Convert.ToHexString(ciphertext) + Convert.ToHexString(tag);
        }

        TestContext.Out.WriteLine($"engines run on {RuntimeInformation.ProcessArchitecture}: {string.Join(", ", results.Keys)}");
        Assert.That(results, Has.Count.GreaterThanOrEqualTo(2), "an AES instruction engine or the shuffle, and the tables");
        Assert.That(results.Values.Distinct().Count(), Is.EqualTo(1), string.Join("\n", results));
    }
}
