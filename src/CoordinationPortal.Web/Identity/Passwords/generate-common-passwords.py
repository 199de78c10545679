#!/usr/bin/env python3
"""Writes common-passwords.txt: the passwords attackers try first, built from the patterns people use most
(a common word or name, then digits, a year or a symbol; keyboard walks; repeated and counted digits).
Nothing is downloaded. Run it again after changing the lists below:
    python3 src/CoordinationPortal.Web/Identity/Passwords/generate-common-passwords.py
The portal compares in lower case, so only lower-case entries are written."""
import pathlib

WORDS = """
password passw0rd p@ssword p@ssw0rd pass passcode secret letmein welcome welcome1 admin administrator root user
login guest default changeme test tester testing qwerty azerty qwertz iloveyou loveyou lovely love
monkey dragon master shadow sunshine princess football baseball cricket soccer hockey tennis basketball
superman batman spiderman ironman starwars pokemon naruto mustang ferrari porsche mercedes
trustno1 freedom whatever hello hello123 computer internet google facebook instagram whatsapp youtube
michael jennifer jordan hunter ranger buster harley thomas charlie daniel andrew joshua ashley jessica
amanda michelle nicole matthew anthony summer winter autumn spring flower orange banana cherry apple
chocolate cookie pepper ginger tiger lion eagle falcon phoenix killer hacker ninja samurai warrior
diamond silver golden money dollar rupee rupees lucky happy smile angel heaven family friend friends
india bharat hindustan jaihind jaibharat vandemataram mumbai delhi newdelhi kolkata chennai bangalore
bengaluru hyderabad pune ahmedabad jaipur lucknow kanpur nagpur indore bhopal patna kerala punjab
gujarat rajasthan maharashtra karnataka tamilnadu sachin tendulkar dhoni virat kohli rohit sharma
krishna radhe radha shiva shivshakti ganesh ganesha hanuman ram shriram jaishriram sairam saibaba
om omnamahshivaya jaimatadi durga lakshmi saraswati allah bismillah jesus christ god godisgreat
amit rahul priya pooja neha anjali sunita suresh ramesh mahesh rajesh deepak vijay sanjay manoj
kumar singh gupta patel shah reddy nair iyer raj rajkumar babu baby babygirl sweety sweetheart
bollywood shahrukh salman aamir akshay hrithik ranbir deepika katrina aishwarya
coordination portal coordinationportal government govt ministry department office official
gov gov.in nic sarkari secretariat agency agencies readiness framework scorecard
company business manager support service services system systems network server database
summer2024 winter2024 monday tuesday friday sunday january february march april june july august
september october november december
""".split()

WALKS = """
qwertyuiop qwertyuiop[] asdfghjkl asdfghjkl; zxcvbnm zxcvbnm,./ qwerasdfzxcv 1qaz2wsx 1qaz2wsx3edc
1qaz2wsx3edc4rfv zaq12wsx zaq1xsw2 !qaz2wsx 1q2w3e4r 1q2w3e4r5t 1q2w3e4r5t6y 1q2w3e4r5t6y7u
q1w2e3r4 q1w2e3r4t5y6 qazwsxedc qazwsxedcrfv qweasdzxc qweasdzxc123 asdfqwer zxcvasdf qwertyuiop123
1234qwer 1234qwerasdf abcd1234 abcdefgh abcdefghijkl abcdefghijklmnop abc123 abc12345 abc123456
a1b2c3d4 a1b2c3d4e5f6 aaaaaaaaaaaa aaaaaaaa qqqqqqqq qqqqqqqqqqqq
""".split()

SUFFIXES = [
    "", "1", "12", "123", "1234", "12345", "123456", "1234567", "12345678", "123456789", "1234567890",
    "!", "!!", "1!", "12!", "123!", "1234!", "@1", "@12", "@123", "@1234", "#1", "#123", "$",
    "01", "007", "786", "143", "000", "111", "2k", "@", "_123", ".123",
] + [str(y) for y in range(2000, 2031)] + [f"@{y}" for y in range(2020, 2031)] + [f"{y}!" for y in range(2020, 2031)]


def main() -> None:
    out = set()
    for word in WORDS:
        for suffix in SUFFIXES:
            out.add(word + suffix)
        out.add(word + word)
        out.add(word.capitalize() + "@" + word)
    for walk in WALKS:
        out.add(walk)
        for suffix in ("", "1", "!", "123", "@123"):
            out.add(walk + suffix)
    digits = "1234567890"
    for n in range(6, 17):
        out.add((digits * 2)[:n])
        out.add("".join(str(9 - i % 10) for i in range(n)))
        for d in "0123456789":
            out.add(d * n)
    for a in "0123456789":
        for b in "0123456789":
            if a != b:
                out.add((a + b) * 6)
    lines = sorted(p.lower() for p in out if len(p) >= 4)
    target = pathlib.Path(__file__).with_name("common-passwords.txt")
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"{len(lines)} passwords written to {target}")


if __name__ == "__main__":
    main()
