namespace Mosh.Util;

/// <summary>Runs <c>locale</c> so its report follows a locale complaint on stderr, as upstream does with system().</summary>
internal static class LocaleReport
{
    public static void Print()
    {
        try
        {
            var environment = new List<string>();
            foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
            {
                environment.Add($"{entry.Key}={entry.Value}");
            }

            ChildProcess.Start("locale", ["locale"], environment).WaitForExit();
        }
        catch (IOException)
        {
            // No `locale` program: the complaint alone has to do.
        }
    }
}
