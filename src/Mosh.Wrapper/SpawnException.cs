using Mosh.Util;

namespace Mosh.Wrapper;

/// <summary>Starting a child failed; <see cref="Errno"/> says why.</summary>
internal sealed class SpawnException(int errno) : Exception(LibC.ErrorText(errno))
{
    public int Errno { get; } = errno;
}
