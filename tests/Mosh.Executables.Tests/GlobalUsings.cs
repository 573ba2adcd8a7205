global using NUnit.Framework;
global using Mosh.Testing;
