using Mosh.Util;

namespace Mosh.Tests.Util;

[TestFixture]
public class ProductInfoTests
{
    [Test]
    public void VersionComesFromTheTopLevelVersionFile()
    {
        string root = TestContext.CurrentContext.TestDirectory;
        while (!File.Exists(Path.Combine(root, "VERSION")))
        {
            root = Path.GetDirectoryName(root) ?? throw new InvalidOperationException("VERSION file not found above the test directory");
        }
        Assert.That(ProductInfo.Version, Is.EqualTo(File.ReadAllText(Path.Combine(root, "VERSION")).Trim()));
    }
}
