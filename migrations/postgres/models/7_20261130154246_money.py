from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "dispute" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "stripe_version" BIGINT,
    "id" UUID NOT NULL PRIMARY KEY,
    "stripe_dispute_id" VARCHAR(255) NOT NULL UNIQUE,
    "amount" INT NOT NULL,
    "currency" VARCHAR(3) NOT NULL,
    "status" VARCHAR(32) NOT NULL,
    "reason" VARCHAR(64) NOT NULL,
    "opened_at" TIMESTAMPTZ NOT NULL,
    "payment_id" UUID NOT NULL UNIQUE REFERENCES "payment" ("id") ON DELETE RESTRICT
);
COMMENT ON COLUMN "dispute"."status" IS 'WARNING_NEEDS_RESPONSE: warning_needs_response\nWARNING_UNDER_REVIEW: warning_under_review\nWARNING_CLOSED: warning_closed\nNEEDS_RESPONSE: needs_response\nUNDER_REVIEW: under_review\nWON: won\nLOST: lost';
COMMENT ON TABLE "dispute" IS 'The payer''s dispute of a payment (Stripe allows one per charge).';
        CREATE TABLE IF NOT EXISTS "refund_attempt" (
    "created_at" TIMESTAMPTZ NOT NULL,
    "updated_at" TIMESTAMPTZ NOT NULL,
    "id" UUID NOT NULL PRIMARY KEY,
    "amount" INT NOT NULL,
    "requested_amount" INT,
    "reason" VARCHAR(32),
    "idempotency_key" VARCHAR(255),
    "requested_by" VARCHAR(255) NOT NULL,
    "requested_at" TIMESTAMPTZ NOT NULL,
    "status" VARCHAR(16) NOT NULL,
    "error_code" VARCHAR(32),
    "error" TEXT,
    "payment_id" UUID NOT NULL REFERENCES "payment" ("id") ON DELETE RESTRICT,
    "refund_id" UUID UNIQUE REFERENCES "refund" ("id") ON DELETE RESTRICT,
    CONSTRAINT "uid_refund_atte_payment_23a084" UNIQUE ("payment_id", "idempotency_key")
);
CREATE INDEX IF NOT EXISTS "idx_refund_atte_payment_ca7dd4" ON "refund_attempt" ("payment_id", "status");
COMMENT ON COLUMN "refund_attempt"."status" IS 'OPEN: open\nANSWERED: answered\nREFUSED: refused';
COMMENT ON TABLE "refund_attempt" IS 'A refund billgraph asked Stripe for, committed before asking.';
        ALTER TABLE "refund" DROP COLUMN "idempotency_key";"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        ALTER TABLE "refund" ADD "idempotency_key" VARCHAR(255);
        DROP TABLE IF EXISTS "dispute";
        DROP TABLE IF EXISTS "refund_attempt";"""


MODELS_STATE = (
    "eJztXet34jiy/1d08mWSczM53ennZnbvOSRx97CThlxCd8/uMMcIWwSfGJmx7BDObv/vt0"
    "q2wU9iEyCG6EseskqWq/So+lWp9J+DsWMyW5xc25QfnJH/HHA6ZvBHovyYHNDJZFGKBR4d"
    "2LLiJKoxEJ5LDQ/KhtQWDIpMJgzXmniWg20fNIhgto10BIlOSL9/x2b9PrEE8UaMCNkmMa"
    "hHbeeWWCY5HLoMGpq4bGz542NycnJy9Au+zHQMeJvFb9fYbo/3+9johOn3zBXQaWgCP+lO"
    "EMsT5EY+I9euY/qGd4Ld8Ln1l890z7ll8CIXOvPHn1BscZM9MBH9O7nThxazzQR/oYfYgn"
    "yge7OJLLwYUfeTrIrfONANx/bHPFZ9MvNGDp/Xh+5i6S3jzKUeM2O8537AklhR0Fso8Fyf"
    "zbtpLgpMNqS+jRJE6qALi7IDXW+1u/qN1tX1g4x0I4qYYMIiw+E4MizuCcmBMX3QbcZvvR"
    "H8+/7tj+A9C0YEtfCF3xqdi18bncP3b4/whQ7IIhhzrfDJqXz0QzYB0g0akXxfMNpwGbJG"
    "p16W35fwxLPGLJ/nScoU682Q9CT6YxVBRAULSSymzjZEAR9otrk9C4fAElF0m1+0m27jyz"
    "W+bizEX7bkX6Or4ZNTWTpLlR6+T4lt3gj53uz+SvBf8u92S5PsdYR368o3Lup1/32AfaK+"
    "5+jcmerUjI3WqDTiGtRcSN2fmCtKPUmppF4XqUc8iok97P1C6snlOyv5c+u2yb18uWdpU7"
    "IH/pWQdjg4ayPsW+zEz387PX3z5sPpqzfvP757++HDu4+vPkJd2eHsow9LRsR583Oz1U0K"
    "GAt+JOQgf1fY3aL669nenpvliQ3u9NWrEjsc1Crc4uSzJH/jPcuwucseCoZ4imwlbtdsfC"
    "9bvLTfu4l1K2Lp4ZfG70eJteuq3focVY+J4OKqfZ7iPCxYVj7bCxeWOMlKS8pKA/zVZheU"
    "09dvP7z9+Ob92/k6Mi9Ztnxklwp4G7V1k85EBZYmiRRT00w1fNdl3KhkYcRptrcOH/gi6s"
    "qGF+I3JZbhN4WL8Jv0EmxbYzAKswz+5027lc/gBUVaqbQMj/yX2JbY2MA9+PvQ5wYykAx8"
    "y/YsLk7wff+7Kd4vYTZyaPm6nF6CU4oiNpBel4dgqvn4vIJA4jRKJGsXCYWPu89RA88dx2"
    "aU58tkQZSSyACoNiWKCP7YLtPP2+2rBNPPm2kF5OuXc61z+FpKACpZXoG+jXBWRUZHJFtk"
    "87xkZ/kc2oiTAALULbPKBptLvBYdvEZ43um7d2XMnXfvis0dfPbjBwKnw7sYoocFA2rcTa"
    "lr6oknMe3ctYy8PeA8pPv0W4fZtEAZjyHe19jODpqeP6IxF5Ue5IAkxogZd47v6YIJhDqe"
    "yK+LsLmboLV95ZrwB/PGn8ixm1hT+8QunKHOqVM0Z7OPxqfjdAnl9FZ+Er4b35SZlQVOqv"
    "mUXe6p0ifzeo/6q9qcLZw+QEWcIaHSxfSTIOEyfkymIxDdPXOlj+gOZHIGlUwqRgMHvpr4"
    "grkZj9XaWu7xMZ0RappkytidPSOOSxzOfkZomgSrIbZjGSNCXUbGlus6LjNB4/QIl20Lxz"
    "bJoWAM3V8wVgW1Wb9/dEKaPNDFiOtMBfrQZlCXeNAnwh5AT4VPIeGkGDBXwGsJ5QRa63H5"
    "YiCxbJuAgujY0IqHtMxyAxddOefZH4HIgp0SBhpz76nUTkIt8c9C71rezvz1a/Myf2fO3Y"
    "p93zJPkGYzHraY+i/fhD/ePofuHxi+AWgfV+nlpyvX2stysijX2kuUunKt7Y5rTbIsw/1i"
    "qzOqv0VI12WIJSPrNsX5hMn5+n0Ji/N1euosDE58lORxXNUoy+c4zR66MT+W4PHHQhZ/LO"
    "IwMNDnOftI4VKSJdzaUvJ6s+vI2pw/dFyRpwuC7XnSNr8uv0Bn2tZWgzX70pSnYPsINljo"
    "q+LXC9K9C0ddG3ydcBU7zp0/0StG/Cap9iFWZwuBUTG8qCyfYyR7uFKvJ74644xJcjzL7k"
    "+Oy6xb/hubSaY3oYeUG3mrdeqcwY4xuwgLh2KXTufAZHyQwbfDF7Ngge6AWd5pXsAqXeze"
    "2iSsnnbe5IDrOf6dYog97VsqB7Q3SNy7QqJGSNjISQY/f4ygxyWaPWFcF7bj9ftk5AA75G"
    "kQhM3xDAjQ4b8OZxFZ7LEggQbn2bMeH1EYXCY5RN4hGeLmM+IgaI3g+NGZBOiDIUnkQMQG"
    "EL0nY3rHBOkdUK/Hx47w5OuwXwUfMIEmJa5/IHsMjUBVb+oQ4LAgwEV23ONTC2YQVKbEdo"
    "w7MgJJE2q4jhBQFLoVDGrbJ6SB/Qswexvfjv1EhqBLwGY9HkD0sj8Wj0ih7+xhYqGbAD+R"
    "kcFMcoazB2/RU2c4Z1cRmv/HAT6N4HuTjSeOh0qx3NP+zGD9scqwWni+UPi+wvfruvDvKN"
    "Kr8P2XKHWF7+8Ovh/bBctaMDGSPbRgNmKShyM2VPxWA0KSxAoKqcD3WsFP+z/alT9r0/6s"
    "0GDJ5a/G/XEGBUkN7Yh6i15atPoqmiMH7WutdSbtxR6/aH+5vtK62hkxnPEEAY0e136/bn"
    "a0y7PIgEwb7s/jzvXdSiM/rL6PiOvbMsMeqy3BXN9mBn8gbLGCwZCk3EODYXcNhKxdGKk9"
    "MeBqRcUp28IeTrZNbOQugy8Vnm5at0zkzLZi1mcp93BTX1cymTjOmEQtqyhQWVI1ykuN8j"
    "luX4XdCSJ1qqoEm5WvVPlKla+0gq/UF54zlq6trJM0ena81Dsar/WoV1R7gMd4pIezuV/w"
    "LHC6Ba7Gfj9E/vp9Ipjn2QwdgOgkJAPmTRnjhGZcp2tptcexzk+CDC1XeNJBGSoYghwOHG"
    "8E/1JjFHkU0WEZZOIDrpHYxtjjsDMe47miyG0p/UZC9i7iFvEc5+ip6faUw1A5DJXrSDkM"
    "ldTX5TCsg6Nq31X0EDCJdsLV4JYUteJ8Gc6zMbUqocZzgv0z8t+clonUhVrFEf+nryrm9N"
    "ikIn/pT2zLAGEkEjHkaPX5FZeq+GZEkkA5yyn8mBUgGRaIdqDNTEK5CRo16IcYhzhgBoWV"
    "dBGtSG3cZWZkRLFmRuNfT7M97tgmlNqYEgDU8xPSYYbjBpRDMGFj4YMYfMjMhFUx5wuo/5"
    "i0AMMigzhKGwpd/Jt7hA4wtNDywK7gGH0IbWEAowWDE7oisyQYMvEAvYWxWjqLQGzfiemZ"
    "KrpQGQtKbVTGgpL6yzAWnlu6m1da79jE05/upn2kGSWNctKIqYJPFkmZtpRhV86k3rlIrQ"
    "njZvVsGgfXWuuy2fp8RkL6Hu9oN+2rbxifFWblAlX8U6N5hSVDMF/rErAVhXrS2RisAh1D"
    "Efmq2Tbz2tg/E32T6FNgIa7G/gStYnvJIJ/AItcrJ/LIoVS58WuRzqPWo3jN2TwY5pjMcr"
    "f4WpI5wT6wdpnRtokLSaKdfAWDOkW6Bot6h2RRbwM6wE3qgpdbYuLLGJwsQh4+Ol6Kiccq"
    "PQqCd0eMgNImo0tCwjA7bqDJkcMQZ6a2jYlpozgWAxbvW3aUzRWwjgZV4InCkhWqqLBkJf"
    "UaYMnqpHo9TqqHvAz31NXwgSSxQjDL4AMqv+ceAAK1Y+omEYHdw9yrc/rge6PTarY+6y1N"
    "u7zRO9rNdbt1o50RsL84cF7njJlCh21wApxnPR7V/9q61DpQ/1tT+76ojTieC7XvLTZd1A"
    "X7/wbB+qiWYTsCQfz0O9PvSr4j1Xa7BQ06vMeh8e6ZTBS2ihvgzWmpILElMWJZIJSKvA1+"
    "2SnHiKLOQ6U2pxvxzNxK6nOCcA+1593VlrNG0twDVgmISFJtF5B4HsE+gj48CYvLSCMrij"
    "ZnXQd+lD0DuGhnFwXw+CHAxPgrcw7wadeLhezMgThjnF5ytVis0mMQZzGv1ppDMx7pekzy"
    "0mumKikIU0GY9dyOdxTMUhDmS5S6gjB3B8JUYcnbTPpYq3C+eqnFCjZWsPHurx7rvhZKDk"
    "A9imqsPHQTlCoQMuu/ewGofEf7v6/NjnajXzf+9UVrdfUvWvfXtoyA/8uXuSejLWUMNrdj"
    "YpB8SHHRbn1qdr40uk1EyOf1QSpDyx3LO95jtRsXqXrUCGpcd9oX2s1NEInvOgZmjcZg/J"
    "uvFxeadolwvvANgzEzG47f4xeN1oUmS6JTu9Bio9NtNq6u/qV3tE8I7cPTCXU9i9r2bD7o"
    "sW/R0/hEeH5cPy6iCotnimwfgkWTnH5X6kasd0tuxHqXvRELB5LvMhjeQtDbnEv2iuNyc0"
    "j3genbjtANYxxy9q+l9xvGybZ4w+G8ZNevOLT4vbNylvkksUonWSbJvEqV+gITAtea5RtK"
    "6Fns+Usf4srRrs9Dwk+/dZhNC5SZ0PXUkY3UR5t+spcv55ybTj0PZr+3FlY1grb2iWOVDn"
    "ZklI5ipkb+5sdZGzvjsVuLwVKeVnAOh9Mwxze8mKDFrmF3UWetnuGM7zfpMleeXeXZrf+y"
    "t6M+PuXZfYlSV57d3fHs1iJ3hfIxKh+j8jHW2se49TMGdVudN+zrWeZkLFp9d8GxWBsG1y"
    "28vx42/zoC/EsE7Ve/umf1sP16MHYDgfur5zGJKR4L4O+pcFdVJLFmC/p6Qa+IDYXYV4xP"
    "j0FgekxIj+eBaYRBC2Rg2fatSycjQsUdM6M040PHPcabZ8cWtDrPQQ5VgDnZJDBPaq3He7"
    "zpCWKZJEhcjnnNQ8KY64pEdxm5bMJokKack/CjySEdYp5z2uN4wBKeiCmDd1JiuFSM8A80"
    "5h3fO8JID8IxOXrUaW9qGewXMh1ZNpO37x4TyxM9HmjP0G/4KYKc6ND0dEQ9zMJus6GHmW"
    "68IAEOzsqiZDZp8PDxgybJ+uGerYBGBTTWdPvaUchJAY0vUeplgEYFtawXagnjIVZLu5ol"
    "3SPkdo0sVljLJqEAFYH1fBFYMPkHlTiepttDsGvD/F4l4W2Sdg81nt3VcLKK7e4dUJGJcS"
    "rajAfta611Js36Hm+0br5rHTyyEQAE0TGOm+gUh6jLHQ0yaTew28yJMVtyS2KCav+2mPVv"
    "6iqb+jbPaihvytpgqkygbzWeLou+qMLSWh3DUN6pzTJ2+96p9CjPSqFiYq/SMf91HNiP8j"
    "8xqzee1eux+33LX+tb+TLfp4VyV0rjpbwuyutS02V5R/F35XV5iVJX4d27E96tEndtMXHX"
    "E+6tLW5BBdRXkIDhC88ZVx7y+dRq9FdLW+eunEUiTqq4vq/3M1fn9wFYuo0rmREK+E1tmQ"
    "8KE0h9084I5o26Z5jl6aarX37VMLcT5mnw5T0O143mJd7gMKFWQXaoZuui/eX6SusCpcUN"
    "ZzxBEztermu/Xzelk2HxXGcPE8sNsksF3oYJXdXZsH4QPDjT4ukT5lqOqYOU3erGVkEbe6"
    "iA767CnbWzUmJjeRBbJcGHLSix11vscj0DG3mp4Jcm0CpqQiXTqpBMK9pXVkG3kqTqeuE6"
    "zzcW3BtfWchxOiXhOktYapqr7J8JQiXjOst4YtOqCE2MpM4m04om6oYywCU5nmV3dc972M"
    "yOMbu0230xyDZ7IrSig/gr5rW9wJh96YjNOIgTz4+XOYh9rKkbsaqPnnD8juf0KEFcGn+Y"
    "wa30Q0Y932Vgmsub6PG8Ip4kDFTY7MHGVRrB84wwNPGc4yw4HSjLfxJEGsXyDCMlnE3DB3"
    "iYMPjfdabkECmobTtTHNI9LmmggkdeHRHKTajqMhA4tg92F5tSm4D4TQFdkW8TwGNsCaTh"
    "eCPslyV60XlHwTzsNdAb7IT0+/hN/T6Q2jNijCi/lccvXce/HcnGYOiZFnKU2j3e73+9xn"
    "WYnJycEBjbAUf+Efz6H/IX+f6r1tEW//79H8S2xpbX7xcfjIx7GgKuylkcBxHSpyOVP/5Z"
    "/fHKN7QNnDY2GcpyOT5/9o/L67+e9Slop0I5d0pxj6D28tEEEcXe3GuyhQiCjB7/jFpnhx"
    "mOm5tUNv64hM7pLmo+qnK2OQuyRYAC1O9j5Tv5NtCwDFDpyGF4xET+hxkk6D0DLY2zo6zm"
    "+YS2ZEINDnsu0loxrRBa4SK4OIVQESp4UqUG5TSIm/pFlgYDt8cPcec+TmfhOArzdNAwFQ"
    "e8BUqDpkCVNIAzoG5yMh0x+fIeD+oJ4kq1M2A+0IMKfccmgUYMLQQlMN0c2Maw5zAXLG55"
    "zJ6VUiAr3d+6VNtU6qVSL+ui+Cj1cjfVy798yj3Lyzm1XKh0xElUFokcd5lS2V+Myq6yLT"
    "zDtqDOWhRzfzej7ovOWtTEVvvOBiPHudPuGc/Ngph4vtRamwY1dTavWspcC/MMSqoT0p3b"
    "PmBzhVGm8hGol2B4WSLI/heYP9AF6565s1zTbQ3t9jh7gP7bs5/RpjoDc8v0J7ZlwJwhti"
    "PCRImWNPSkZwBHaFAoPActKMf3DAemXYHxlDGPFuGd4XRW1tAzW0OpsVJlF8whVYcCymyC"
    "kj0VGB3V35RV9HzsfV3qxtTXS25MfZ29MZVOrOIDXsVcTpHtn0K3fgs0WsQzXF4GfMeINm"
    "WCbnVAP8v5OdzAx7m5e5aG1MbJVBhthTDaCZ3ZDs0Z6f+8abcK4IAFSdpasQyP/JfYlthF"
    "yGUJw5EZCYZnUvqks/ekFBZsIJ3SZ/cOFIElZzCYadGYKH2sqKNdaM1vQaqwoIX59fPyRE"
    "9w+7w8JPS51Q5OAN1yx81ePJ82GUptxmvPMVZ8NWhxltsYyd64RtcGT9p4kqxyRrEk1T4o"
    "NttOKxZNx5VyViZIFXBVd+Aqse1HK+4Kgk/Tqsj7unkDagJRtn1v4DwUIpTxx8fLAEpHVq"
    "yKT5rOGAQa4Yj9fnzYBsihYN5xGHURxhu7zKb4F/XIiOIBolyEci0t97jlEc/BVtwZMX0X"
    "v5aE+SgGzCWH3PGsIYKW8FECqpp09gsBI9O0MKoZ45l9+LPHbZhX7tEj4SqWS6YuWAGiNK"
    "SZnuaOIc+rqoubawBu1g1o2yvw5xniaGq2/20BKo6vJhX1jxTpHiqeu65/KICpFgCTUvL3"
    "eZLVRMlvxbTUy8ivn6Pt59ZbqvbH9V89HjJQ4o7GUDvH6xPxrkPGzYljhdp6sLqAoj5y7N"
    "DrL8MFyMAxZ6Cvg5J8TIYWDEkSjP3khY1ra7rHh5T/DMaNjOIO7ACXefAzCEkQ0DTBH2Kh"
    "2MsmTkhDloORYNjUGoselyaGM0VrA2wPecVjv287xh1MYJ97lg19OqQY6y5kPIS825GZYT"
    "M/iaAhjJvAZEsiOC8ZvDu4HjK8ghIblsHvWL04tDzuOo8YlBNUvsCw4cVedA3nPKNwMjLK"
    "UjEVz212FAdTFPN6SRSFuoAgYE5Vay5JpWy6MicWi7TQYudCsRa6myzetmthB92b11rrst"
    "n6XNW7GZKdkfCPHr/UrprfguuS5n8uPJnBb+XJ3F9PJqz4E3gN04smQSFzi8j3KCP32lid"
    "VhozXF5u4uaQKyu3blZuYmrF7Jmqwk7TKknXWdLSDNaHrjOuKuckpcKGay1mdWiqeK/c39"
    "iTCBCqCiQkyRSWsDz/3xx2y7C4cg7AOHSrxZrdTTY/mhMwNdASeQEvGjcXjUvtudIC5kri"
    "EbA9LrGSYHt87Gz0QjmF5z5vxhA3R49eEuXg5qnOu4mGpUIcXr39WCbGAaoVBznIhzn4bo"
    "75X+z7XlBs3/UdG9ID37I9i4sTfN9zjOrNnLhgoDfm7IhLjoLOKfZw1L8+LTPooVYxnnia"
    "HfIcv73qlQgxqi0e34oW9Z09vaUMqOKhvl8GVIVoj8XwCIMmLJazBZ2HtJ9+6zCbRtcHP2"
    "4AxGM3dmxIFBkAPzapsjeA/8boIEdJD58sVcvpok5t9PBC30WuGp5jK4Zj/Gn6d+39FMVq"
    "9wpn+J96fr9uU3ELEcY4qSpwOKy+h9zdSC4KeKPH8tClYtMmRqLCeitaMc8a7Pnj/wEmT2"
    "/k"
)
