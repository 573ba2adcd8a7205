using Mosh.Crypto;
using Mosh.Network;
using Mosh.Terminal;
using Mosh.Util;

namespace Mosh.Client;

/// <summary>mosh-client after its command line is read: locale check, the session, the exit message and status.</summary>
internal static class ClientMain
{
    public static int Run(ClientOptions options)
    {
        PredictionOverlay prediction;
        try
        {
            prediction = PredictionOverlay.FromEnvironment();
        }
        catch (FormatException e)
        {
            StandardStreams.WriteErrorText($"{e.Message}\n");
            return 1;
        }

        if (ClientLocale.Check(StandardStreams.WriteErrorText) is { } complaint)
        {
            StandardStreams.WriteErrorText(complaint);
            LocaleReport.Print();
            return 1;
        }

        if (!Termios.TryGetAttributes(UserTerminal.InputFd, out _))
        {
            StandardStreams.WriteErrorText("tcgetattr: Inappropriate ioctl for device\n");
            return 1;
        }

        bool success = false;
        try
        {
            SessionKey key = SessionKey.Parse(options.Key);
            Display display = Display.FromEnvironment();
            string? titlePrefix = Environment.GetEnvironmentVariable(TitlePrefix.DisableVariable) is null ? TitlePrefix.Mosh : null;
            var escape = EscapeKeyHandler.FromSetting(Environment.GetEnvironmentVariable(EscapeKeyHandler.Variable));
            using var session = new ClientSession(options.ServerAddress, options.Port, display, escape, titlePrefix, prediction,
                options.Verbosity, options.Forwards, options.RemoteForwards,
                options.ForwardAgent ? Environment.GetEnvironmentVariable("SSH_AUTH_SOCK") ?? string.Empty : null);
            session.Init();
            try
            {
                success = session.Main(key);
            }
            finally
            {
                session.Shutdown();
            }
        }
        catch (NetworkException e)
        {
            StandardStreams.WriteErrorText($"Network exception: {e.Message}\r\n");
        }
        catch (CryptoException e)
        {
            StandardStreams.WriteErrorText($"Crypto exception: {e.Message}\r\n");
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or ArgumentException or FormatException)
        {
            StandardStreams.WriteErrorText($"Error: {e.Message}\r\n");
        }

        StandardStreams.WriteOutput("[mosh is exiting.]\n");
        return success ? 0 : 1;
    }
}
