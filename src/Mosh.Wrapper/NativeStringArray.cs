using System.Runtime.InteropServices;
using System.Text;

namespace Mosh.Wrapper;

/// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings in native memory (argv / envp for exec).</summary>
internal sealed unsafe class NativeStringArray : IDisposable
{
    private byte** _array;
    private readonly int _count;

    public NativeStringArray(IReadOnlyList<string> strings)
    {
        _count = strings.Count;
        _array = (byte**)NativeMemory.AllocZeroed((nuint)(_count + 1), (nuint)sizeof(byte*));
        for (int i = 0; i < _count; i++)
        {
            int length = Encoding.UTF8.GetByteCount(strings[i]);
            byte* s = (byte*)NativeMemory.Alloc((nuint)length + 1);
            Encoding.UTF8.GetBytes(strings[i], new Span<byte>(s, length));
            s[length] = 0;
            _array[i] = s;
        }
    }

    public byte** Pointer => _array;

    public void Dispose()
    {
        if (_array is null)
        {
            return;
        }
        for (int i = 0; i < _count; i++)
        {
            NativeMemory.Free(_array[i]);
        }
        NativeMemory.Free(_array);
        _array = null;
    }
}
