namespace Mosh.Terminal;

/// <summary>An OSC 8 hyperlink: its parameters (e.g. <c>id=x</c>) and URI, both printable ASCII.</summary>
internal sealed record Hyperlink(string Parameters, string Uri);
