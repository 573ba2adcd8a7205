using System.Diagnostics;
using System.Diagnostics.CodeAnalysis;
using NUnit.Framework;

namespace Mosh.Testing;

/// <summary>
/// The one skip policy of both test projects. A prerequisite the project controls (our published executables,
/// Debian's mosh, anything configure.sh installs) fails its test in <c>make check</c>, where
/// build-aux/run-tests.sh sets MOSH_TESTS_STRICT=1, so a green run means the test ran; a developer running a test
/// by hand without it gets a skip that says what is missing. A reason outside the project's control (this
/// processor has no AES-NI, a syslog daemon owns /dev/log) is always a plain Assert.Ignore, printed by run-tests.sh.
/// </summary>
internal static class Prerequisite
{
    public const string StrictVariable = "MOSH_TESTS_STRICT";

    /// <summary>True under run-tests.sh (make check): missing prerequisites fail.</summary>
    public static bool Strict => Environment.GetEnvironmentVariable(StrictVariable) == "1";

    /// <summary>Fails the test under make check, else skips it; <paramref name="what"/> says what is missing.</summary>
    [DoesNotReturn]
    public static void Missing(string what) => Missing(what, Strict);

    [DoesNotReturn]
    internal static void Missing(string what, bool strict)
    {
        if (strict)
        {
            Assert.Fail($"{what}; make check needs it (./configure.sh installs the packages, make publishes our executables)");
        }
        Assert.Ignore($"{what} ({StrictVariable}=1, as in make check, makes this a failure)");
        throw new UnreachableException();
    }

    /// <summary><see cref="Missing"/> unless every path exists; <paramref name="what"/> names them for people.</summary>
    public static void RequireFiles(string what, params string[] paths)
    {
        foreach (string path in paths)
        {
            if (!File.Exists(path))
            {
                Missing($"{what} is not installed ({path} is missing)");
            }
        }
    }
}
