namespace Mosh.Terminal;

/// <summary>
/// Server-side rewrite of the user's cursor keys. The mosh client keeps the user's terminal in application
/// cursor mode, so arrows arrive as SS3 (<c>ESC O A..D</c>); an application that has not enabled DECCKM
/// expects <c>ESC [ A..D</c>. One byte of look-ahead after <c>ESC O</c> decides.
/// </summary>
internal sealed class UserInputTranslator
{
    public const int MaxOutputPerByte = 2;

    private State _state;

    private enum State : byte
    {
        Ground,
        Escape,
        Ss3,
    }

    /// <summary>Translates one byte; returns how many bytes were written to <paramref name="output"/>.</summary>
    public int Translate(byte value, bool applicationCursorKeys, Span<byte> output)
    {
        switch (_state)
        {
            case State.Escape when value == (byte)'O':
                _state = State.Ss3;
                return 0;
            case State.Escape:
                // Only a lone ESC arms the look-ahead: ESC ESC leaves the second one alone, as upstream.
                _state = State.Ground;
                output[0] = value;
                return 1;
            case State.Ss3:
                _state = State.Ground;
                output[0] = !applicationCursorKeys && value >= (byte)'A' && value <= (byte)'D' ? (byte)'[' : (byte)'O';
                output[1] = value;
                return 2;
            default:
                _state = value == 0x1B ? State.Escape : State.Ground;
                output[0] = value;
                return 1;
        }
    }
}
