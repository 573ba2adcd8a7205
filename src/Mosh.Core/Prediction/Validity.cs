namespace Mosh.Prediction;

/// <summary>What the server's latest frame says about one prediction.</summary>
internal enum Validity
{
    /// <summary>The server has not yet processed the keystroke (late ack below the prediction's frame).</summary>
    Pending,

    /// <summary>The server shows what we predicted: confirms the prediction's epoch.</summary>
    Correct,

    /// <summary>Consistent, but proves nothing (a blank, an unknown cell, or what the cell held before).</summary>
    CorrectNoCredit,

    /// <summary>The server processed the keystroke and shows something else.</summary>
    IncorrectOrExpired,

    /// <summary>No prediction here.</summary>
    Inactive,
}
