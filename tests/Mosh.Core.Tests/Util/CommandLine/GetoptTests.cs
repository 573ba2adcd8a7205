using Mosh.Util.CommandLine;

namespace Mosh.Tests.Util.CommandLine;

[TestFixture]
public class GetoptTests
{
    [Test]
    public void Clustered_flags_attached_and_separate_arguments_are_read_in_order()
    {
        var (items, operands) = Getopt.Scan(["-sv", "-p60001", "-c", "256", "new"], "pc", "sv", "prog");
        Assert.Multiple(() =>
        {
            Assert.That(items, Is.EqualTo(new[]
            {
                new GetoptItem('s', null, null), new GetoptItem('v', null, null),
                new GetoptItem('p', "60001", null), new GetoptItem('c', "256", null),
            }));
            Assert.That(operands, Is.EqualTo(new[] { "new" }));
        });
    }

    [Test]
    public void Operands_mixed_with_options_are_collected_and_everything_after_a_double_dash_is_an_operand()
    {
        var (items, operands) = Getopt.Scan(["a", "-v", "b", "--", "-v", "c"], "", "v", "prog");
        Assert.Multiple(() =>
        {
            Assert.That(items, Has.Count.EqualTo(1));
            Assert.That(operands, Is.EqualTo(new[] { "a", "b", "-v", "c" }));
        });
    }

    [Test]
    public void Unknown_option_and_missing_argument_give_getopts_messages_naming_the_program()
    {
        var (items, _) = Getopt.Scan(["-x", "-p"], "p", "", "mosh-server");
        Assert.That(items.Select(i => i.Error), Is.EqualTo(new[]
        {
            "mosh-server: invalid option -- 'x'",
            "mosh-server: option requires an argument -- 'p'",
        }));
    }

    [Test]
    public void Help_or_error_results_stop_the_program_and_options_let_it_run()
    {
        Assert.Multiple(() =>
        {
            Assert.That(CommandLineResult<string>.Exit(1, stderr: "").Report(), Is.EqualTo(1));
            Assert.That(CommandLineResult<string>.Success("options").Report(), Is.Null);
        });
    }
}
