using Mosh.Wrapper;

namespace Mosh.Tests.Wrapper;

public class LongOptionScannerTests
{
    private static readonly OptionSpec[] Specs =
    [
        new(1, OptionArity.Value, "predict"),
        new(2, OptionArity.NegatableFlag, "predict-overwrite", "o"),
        new(3, OptionArity.Flag, "n"),
        new(4, OptionArity.NegatableFlag, "init"),
    ];

    [Test]
    public void Exact_names_beat_longer_names_they_prefix()
    {
        var (options, _, errors) = LongOptionScanner.Scan(["--predict", "never", "-n"], Specs);
        Assert.That(errors, Is.Empty);
        Assert.That(options, Is.EqualTo(new[] { new ScannedOption(1, "never", false), new ScannedOption(3, null, false) }));
    }

    [Test]
    public void Negated_forms_and_their_abbreviations_are_recognised()
    {
        var (options, _, errors) = LongOptionScanner.Scan(["--no-init", "--noinit", "--no-pr", "-noo"], Specs);
        Assert.That(errors, Is.Empty);
        Assert.That(options.Select(o => (o.Id, o.Negated)), Is.EqualTo(new[] { (4, true), (4, true), (2, true), (2, true) }));
    }

    [Test]
    public void Double_dash_ends_options_and_a_lone_dash_is_an_operand()
    {
        var (options, operands, errors) = LongOptionScanner.Scan(["host", "-", "--", "-n", "--init"], Specs);
        Assert.That(errors, Is.Empty);
        Assert.That(options, Is.Empty);
        Assert.That(operands, Is.EqualTo(new[] { "host", "-", "-n", "--init" }));
    }

    [Test]
    public void A_value_may_start_with_a_dash_and_may_be_empty()
    {
        var (options, _, _) = LongOptionScanner.Scan(["--predict", "-x", "--predict="], Specs);
        Assert.That(options.Select(o => o.Value), Is.EqualTo(new[] { "-x", "" }));
    }
}
