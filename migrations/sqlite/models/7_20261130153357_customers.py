from tortoise import BaseDBAsyncClient

RUN_IN_TRANSACTION = True


async def upgrade(db: BaseDBAsyncClient) -> str:
    return """
        CREATE TABLE IF NOT EXISTS "payment_method" (
    "created_at" TIMESTAMP NOT NULL,
    "updated_at" TIMESTAMP NOT NULL,
    "stripe_version" BIGINT,
    "id" CHAR(36) NOT NULL PRIMARY KEY,
    "user_id" VARCHAR(255) NOT NULL,
    "stripe_payment_method_id" VARCHAR(255) NOT NULL UNIQUE,
    "type" VARCHAR(64) NOT NULL,
    "brand" VARCHAR(32),
    "last4" VARCHAR(4),
    "exp_month" SMALLINT,
    "exp_year" SMALLINT,
    "wallet" VARCHAR(32),
    "customer_id" CHAR(36) NOT NULL REFERENCES "customer" ("id") ON DELETE CASCADE
) /* A payment method attached to a user's Stripe customer; the row goes */;
CREATE INDEX IF NOT EXISTS "idx_payment_met_user_id_66ab7f" ON "payment_method" ("user_id", "created_at");
        ALTER TABLE "customer" ADD "address" JSON;
        ALTER TABLE "customer" ADD "default_payment_method" VARCHAR(255);
        ALTER TABLE "customer" ADD "stripe_version" BIGINT;
        ALTER TABLE "customer" ADD "name" VARCHAR(200);
        ALTER TABLE "payment" ADD "purpose" VARCHAR(16) NOT NULL DEFAULT 'one_time' /* ONE_TIME: one_time\nSUBSCRIPTION: subscription\nCREDIT_PACK: credit_pack */;
        ALTER TABLE "payment" ADD "stripe_subscription_id" VARCHAR(255);
        CREATE INDEX "idx_payment_user_id_375a26" ON "payment" ("user_id", "purpose", "created_at");
        UPDATE "payment" SET "purpose" = 'subscription' WHERE "stripe_invoice_id" IS NOT NULL;"""


async def downgrade(db: BaseDBAsyncClient) -> str:
    return """
        DROP INDEX IF EXISTS "idx_payment_user_id_375a26";
        ALTER TABLE "customer" DROP COLUMN "address";
        ALTER TABLE "customer" DROP COLUMN "default_payment_method";
        ALTER TABLE "customer" DROP COLUMN "stripe_version";
        ALTER TABLE "customer" DROP COLUMN "name";
        ALTER TABLE "payment" DROP COLUMN "purpose";
        ALTER TABLE "payment" DROP COLUMN "stripe_subscription_id";
        DROP TABLE IF EXISTS "payment_method";"""


MODELS_STATE = (
    "eJztXWtz4kiy/SsVfBk7rsfR7Ud3r2f3RmCs7mHHBl/A3b07TIiyVDYKixKthzGx2//9Zp"
    "Yk0BNLGLDA9aVnXKosiVOvzJNZWf+pjSydmc7htUl57Yz8p8bpiMH/xMoPSI2Ox/NSLHDp"
    "rSkqjsMat45rU82FsjtqOgyKdOZotjF2DQvbrtWJw0wT5QgKHZLB4IFNBwNiOMQdMuKINo"
    "lGXWpa98TQyd6dzaChsc1Ghjc6IIeHh/u/4ct0S4O3Gfx+he32+WCAjY6Z+shsBz4amsCf"
    "9OAQw3VIVzwj17ale5p7iJ/hceOHx1TXumfwIhs+5s+/oNjgOntiTvjn+EG9M5ipx/CFL8"
    "QWxAPVnY5FYWNI7c+iKv7GW1WzTG/EI9XHU3do8Vl9+FwsvWec2dRlegR77vmQRIr8r4UC"
    "1/bY7DP1eYHO7qhnYg+itP8J87KaqrbaPbWr9FS1lurdUCLSMUGRZnEcGQZ3HYHAiD6pJu"
    "P37hD+/HDy03/PHAi/Fr7wa73T+L3e2ftwso8vtKAv/DHXCp4ciUc/RRPQu34jAvc50JrN"
    "EBqVumm8L+CJa4xYNuZxyQT0eiB6GP7PMh0RFsx7Yj51NtEV8AP1NjenwRBY0BW95pXS7d"
    "WvrvF1I8f5YQr86j0FnxyJ0mmidO9DottmjZBvzd7vBP8k/263FAGv5bj3tnjjvF7v3zX8"
    "Juq5lsqtiUr1yGgNS0PUoOa8172xvmSvxyVlr1el10OMIt0efP281+PLd7rnz437Jnez+z"
    "0tm+h7wK9AbweDszKdfY8f8evfjo6Ojz8evTv+8On05OPH00/vPkFd8cHpRx8XjIjz5pdm"
    "qxfvYCz4GesH8d8Su1tYfzXb22tDHtvgjt69K7DDQa3cLU48i+Mb/bIUzD32lDPEE2JLoV"
    "2x8b1o8VK+92LrVgjp3lX9+35s7bpst76E1SNd0LhsnyeQhwXLyIY9d2GJiiy1pCw1wN+t"
    "d0E5en/y8eTT8YeT2ToyK1m0fKSXCngbNVWdTp0SkMaFJKhJUDXPthnXSlkYUZnNrcM1zw"
    "k/Zc0L8XGBZfg4dxE+Ti7BpjECozAN8D+77VY2wHOJpFJpaC75LzENZ20Dt/b3O49rCCC5"
    "9QzTNbhziO/733VhvwBsRGjxupxcghOKIjaQXJfvwFTz8HmJDonKyC5ZeZdQ+HGPGWrguW"
    "WZjPLsPpkLJXrkFqTW1RUh/bFZ0M/b7csY6OfNpAJyc3WudPbeix6ASoabo28jnVUS6FBk"
    "gzDPSrYW58BGHPsUoGroZTbYTOGV6OAV4vOOTk+LmDunp/nmDj77+ROJ07uHCKOHBbdUe5"
    "hQW1djTyLauW1oWXvAeSD3+Y8OM2mOMh5hvK+xnS00PX+GYy4srWWQJNqQaQ+W56oOc5Dq"
    "eCFejaC5rt/arqLmeLezxl+IWDfS1C7BhTPUOrLy5mz60eholCyhnN6Ln4TvxjelZmWOk2"
    "o2ZRd7qtTxrN6z/qo2Z3OnD0gR645Q4WL6xSHBMn5AJkPoukdmCx/RA/TJGVTSqTO8teBX"
    "E89hdspjtbKW+3xEp4TqOpkw9mBOiWUTi7NfkZom/mqI7RjakFCbkZFh25bNdNA4XcJF24"
    "5l6mTPYQzdXzBWHWqywWD/kDS5r4sR25o46EObQl3iwjcR9gR6KvwUEkyKW2Y78FpCOYHW"
    "+ly8GEQM0ySgIFomtOKiLDNs30VXzHn2p99l/k4JA43Zj1RoJ4GW+Feudy1rZ765aV5k78"
    "yZW7HnGfohyqzHwxZR/8Wb8J+T19D9fcPXJ+2jKr346dK19racLNK19hZ7XbrWtse1JiBL"
    "oZ9vdYb1N0jp2gy5ZIRuXcjHTM73HwpYnO+TU2ducOKjOMZRVaMozlGZHXRjfiqA8adciD"
    "/lIQwAejxjH8ldStKCG1tK3q93HVmZ84eOSmI6F9icJ2396/IbdKZtbDVYsS9Nego2z2CD"
    "hb4sfz0X3blw1JXR1zFXsWU9eGO1ZMRvXGoXYnU2EBgV4YuK4hwR2cGVejXx1SlnTBzxNN"
    "yfLZsZ9/wPNhWgN+ELKdeyVuvEOYMtAzuPC4dim05mxGR0kMFvh1/M/AW6A2Z5p9mAVTrf"
    "vbVOWj3pvMkg1zP8O/kUe9K3VIxor5Ood4WEjZCgkcMUf/6cQJ8LNnvMuOqYljsYkKEFcI"
    "jTIEib4xkQkMM/Lc5Cschjh/ganGtO+3xIYXDpZA+xQzHkzafEQtIayfH9M0HQ+0OSiIGI"
    "DSB7T0b0gTmkX6Nun48sxxWvw+/K+QFjaFLw+jXxxdAIVHUnFgGEHQIosoM+nxgwg6AyJa"
    "alPZAh9DShmm05DhQFbgWNmuYhqeP3+Zy9iW/H70RA0CVgsj73KXrxPQYPReHb2dPYQDcB"
    "/kRGbqcCGc6e3PmXWnczuPLY/D9r+DSk73U2GlsuKsViT/srxfVHKsNq4XqO5Pclv1/VhX"
    "9LmV7J77/FXpf8/vbw+5FdsKgFExHZQQtmLSZ5MGIDxW85IiQuLKmQErhXin7a/dEu/Vnr"
    "9mcFBksmvgr3RikWJDG0Q+kNemnR6itpjtTa10rrTNiLfd5oX11fKj3ljGjWaIyERp8r36"
    "+bHeXiLDQgk4b767hzPbvUyA+q7yLjelJk2GO1BZzrSWrw+53tLGEwxCV30GDYXgMhbReG"
    "ak+EuFpScUq3sIOTbR0buc3glzquqhv3zMmYbfnQpyV3cFNfVTKZKM8YZy3LKFBpUTnKC4"
    "3yGW9fBu6YkDxVVQBm6SuVvlLpKy3hK/Uc1xoJ11baSRo+O1joHY3WetYrqjzBYzzSw9nM"
    "L3jmO918V+NgEDB/gwFxmOuaDB2A6CQkt8ydMMYJTblOV9Jqn2OdXxxyZ9iOKxyUgYLhkL"
    "1byx3Cn1Qbhh5FdFj6mfgANRLZGPscdsYDPFcUui2F38gRXxeiRVzL2n9puj3pMJQOQ+k6"
    "kg5D2evSYSgdhqt2GO66qRSM11AjWY72SkhL5Isgz0bUKMXezwR2j2w5PioSMQ218k9eHK"
    "UipjeaqrPS8K4lIB32U9hyS6Uli4i8KCtZxcDedPqx4AeoYzodMe6qI7AZrVLrdn4LOzj4"
    "XzdvUwzhlyZw8hu7mvXWltkMr5NfJwZaVo6dJKoL8uyk5kuRIwCBFPGlCHVdqg0xBt0ilA"
    "R0U8gSBZrUb4JUwhD3e8tP+5U4JfDiNvtcROAHdRw6xasgMEJeZ35ThTPZRHTuCNchI9wl"
    "YVXRZWhLqQtJWL3FXpeElSSstmmWbS7SOqaLLRlyndWGpK+K9IKApwTiYf0dHOWrD866tS"
    "kvNZ5nArtnvx8fFaIGFzCDqawV1HFPyqA7E9g9dIsM3fyRmxq47GmsjiwOTafg7Y6oaeaq"
    "ITHBHdJAjo8+fpjpHPjHIi2je1W/vEyrFYjNlFF7GUxDOQlpDNIJ4MZKRWHOJXZvEVj9Er"
    "vQn5hP9ix2JL6I9akG9bkEybMg6jIadffCyMtomN92Qvts9GVicMUiMBv1bqN+obxWAOaF"
    "NzYNDSCPJdDP4KqzKx4s4qz1UCR2OqUYd43Z3OPpXHAUmUwnoG4Sm915In/MLdMoGLLzLD"
    "PURLJlSoYUa6bo69U02+eWqUOpiancLc4OSYdplu1L3sEEiKR9waQxTI9Fg85wIYaOyeYx"
    "nY2f/8aEQhv/n7uE3mJKGMMldzC6QRzaQgbdgLEGnyKy22siYTy9h6EnOXPJmaeRl+yp5M"
    "xlr1eMM5dc7SZYwgc2dtWXH699phnZG8V6I6IKvrhLirQlmfRi/oyty7AxZlwvfwtC7Vpp"
    "XTRbX85IIN/nHaXbvvyKeTWC25RAFf9cb15iyR01zKok2kj4izCFDF/2lsSsNnaPU1qn68"
    "+3EJeDPyYrYS+YnMG3yNXSFzBkSMo7zStxDUOlR/GKb2FgeDdgGt0ee8rznIQCuwDtIqNN"
    "+d6L2Wup8PSZzXbZbn0Jqydj1pOrhb+TL2FQJ0RXYFFvUV9U24D2eZMSMfBr5csNZ+wJ5j"
    "7NkAePDhZy4pFKz5LgvSHDcGsRUh0IBreaBjHYewHPTE0TLxQN8w9osHjfs/10jvdVNCgT"
    "BkguWbKKkkuWvV4BLlnGX1cj/jrAMthTl+MH4sKSwSzCD8h7GXeAEKgcqOtkBLaPcy+PdO"
    "1bvdNqtr6oLUW56KodpXvdbnWVMwL2FwfkVc6Y7qiwDY4BedbnYf2b1oXSgfpfm8q3eW3k"
    "8Wyo/Wiwybwu2P9dJOvDWpppOUjiJ9+ZfFf8HYm22y1o0OJ9Do33zsQFT8u4AVYf1ggqjJ"
    "O1wS/KThtKVHmoVObgA+Y6XUp9jgnuoPa8vdpy2kiaecBKERFxqc0SEtsRGFyGi0v1Rror"
    "2pz1LPinYATx9bydbeyA55O3xsZfkfytq0hbUctPWLGY4ox067MUZz5WK737MBrpekCyrk"
    "VcXGns2TANWLKWJDol0VnNTXtLKS9JdL7FXpdE5/YQnTJ4+RUSTVQj6K9ayrMklyW5vP2r"
    "x4rJZX8AqmHsY+mhG5OU4ZJpL98b4O47yv/dNDtKV72u/+tKafXUK6X3e1vEyf/wxM2C8d"
    "xFGEofSDTarc/NzlW910QefVYfeuXOsEcixWikdr2RqEc1v8Z1p91Qul0/Xt+2NLwTGEP2"
    "uzeNhqJcIOnveJrGmJ4O2u/zRr3VUERJeLYXWqx3es365eW/1I7yGR0A8HRMbdegpjmdDX"
    "r8tvBpdCK8Pvsf7aISi2dCbBdCSuNInxZKL326IL30aTq9dITsWWaaR8Q3efMsZ2potZaZ"
    "7WCtqWienZGwBZxn591Gp3ntT8/o6SqYXR3lotmDtaHxxxneLKQbmMtZe1hmnqztsIy8Tv"
    "P1lGZchj2bwebgOPQ+Yxblx75niO4C6JuOgg/iiDKG/bllmYzynM0iIpaA/Rbk1rVyzUo2"
    "i/x5u30ZQ/68mYT25upcgfVHdANUMtwcSiRYMgz+aBnakrFfcWF51WaBhUZeI/sWL0uuNO"
    "Rruuw037uePCj5wlseOqKR6tiiL/akZ5wlVanrwux3VwJV3W9rlxArdXgqpXTkgxrGdDwP"
    "beQc1XYtBgsxLRGAEUzDjPiL+QTND7+w53VWGn2Riq+Ih6XIuAgZF1H9ZW9LPeQyLuIt9r"
    "qMi9ieuAinCvlhpIdeeuilh77SHvqNn+Op2uq8Zk/pIhd93uq7DW75ygBctSM01bD5V3GI"
    "psDBmNLJ9V9wNKYawK7hcMzyuYIiisec+Hsp3VWWSazYgr5a0iuEIZf7iuD0HAWmRjqpyG"
    "W5vhS5NUzz3qbjIaHOA9PDVP53ln1ANGs0MqDVWZ5/qALgpBMtvai1Pu/zpusQQyf+5QB4"
    "d0AgGHFdkQc2PSCOBa8aM+pfBcBJ8KPJHr3DuwRon+MhZnjiTBi8kxLNps4Q/weNectz9z"
    "FOinC8gCD8aHdiaOw3MhkaJiN4vvWAGK7T5772DN8N/zr+vQPQ9GRIxfW9JrtzMZuU6yeZ"
    "wlmZlzAqSR4+f5grXj/YsyXRKInGim5fW0o5SaLxLfZ6EaJRUi2rpVqCeIjlUhunRXeIuV"
    "0hxJJrWScVICOwXi8CCyb/bSnEk3I7SHatGe9lkkrHZXdQ49leDSet2G7f8S6RfKqkzVhr"
    "XyutM2HW93m91f2mdPDAk08QhIeguuEZKGe5I1CrP9ohEuMD3Hqpu9/jUru3xax+U5c3Fm"
    "zyrIb0pqyMpkoF+pbDdFH0RRlIK3UMQ3qn1gvs5r1TyVGe7oWSyfMKx/xXcWA/i39sVq89"
    "c95zd2gXvzq79IXZLwvlLpUqT3pdpNelosvylvLv0uvyFntdhndvT3i3THu3wbR31Unf8e"
    "YC6gP8NM9xrVHpIZ8tLUd/uaSP9tJZJKKiEvVdvQO9PN41sHTrlyKfGuBNTZFNDdOvfVXO"
    "CGZde2SYI63bUy9uFMyMhnkaPHFXynW9eYG3pIypkZNbrdlqtK+uL5UeSBpcs0ZjNLGj5a"
    "ry/bopnAzz5yp7Ghu2n5vN9zaM6bLOhtWT4P6ZFlcdM9uwdBV62S5vbOW0sYMK+PYq3Gk7"
    "K9FtLItiK9XxQQuy26vd7WI9Axt5YccvTKCV14RMplUimVa4ryzDbsVF5RXeVZ5vDJOrLt"
    "HJUTnZw1XuYaFpLrN/xgRlH1e5j8cmLcvQRESqbDItaaKuKQNcHPE03OU970EzWwZ2Ybf7"
    "fJCt90RoSQfxDea1bWDMvnDEphzEsecHixzEHtZUtUjVZ084fsNzepQgL43/6HhWj5I7Rl"
    "3PZmCaYwZocV4RTxL6Kmz6YOMyjeB5RhiaeM5x6p8OFOW/OEQYxeIMIyWcTYIHeJjQ/9u2"
    "JmQPJahpWhMc0n0uZKCCS97tE8p1qGoz6HBsH+wuNqEmge7XHfgU8TYHMMaWoDcsd4jfZT"
    "j98Lyjw1z8apDX2CEZDPA3DQYgak6JNqT8Xhy/tC3vfigag6GnG4goNft8MLi5xnWYHB4e"
    "EhjbPiL/8P/zP+QH+fa70lHmf/79H8Q0RoY7GOQfjIx6GnxUxSyOkgjJ05HSH/+q/njpG9"
    "pIXvH5ZCiKcnT+7B7Kq78C+SVsp2Q5t0pxD6n24tEEocTO3Aq0gQiClB7/ilpnh2mWnZlU"
    "Nvq4gM5pz2s+q3K2OfOzRYACNBhg5QfxNtCwNFDpyF5wxET8hRkk6CMDLY2z/bTm+YK2RE"
    "INDnsuyhoRrRBa4Y5/7RChTqDgCZUalFM/buo3UeoP3D7fw537IJmFYz/I00GDVBzwFij1"
    "mwJVUgNkQN3kZDJk4uV97tdziC3UTh98kAcV+oGNfY0YWvBLYLpZsI3hl8NcMLjhMnNaSI"
    "EsdUfyQm1TqpdSvayK4iPVy+1UL394lLuGm3FqOVfpiIrILBIZ7jKpsr8ZlV1mW3iFbUGe"
    "tchHfzuj7vPOWlTEVvvGboeW9aA8Mp6ZBTH2fKG1NvFrqmxWtZC5FuQZFFKHpDezfcDmCq"
    "JMxSNQL8HwMhw/+59v/sAnGI/Mnmaabitot8/ZE3y/Of0VbaozMLd0b2waGswZYlpOkCjR"
    "EIae8AzgCPULHddCC8ryXM2CaZdjPKXMo3l4ZzCdpTX0ytZQYqyU2QUzROWhgCKboICnBN"
    "Bh/XVZRa8H7/tC9w2/X3Df8Pv0fcN0bOQf8MpHOSG2ewrd6i3QcBFPobyI+I4IrcsE3eiA"
    "fpXzc7iBjzJz9ywMqY2KyTDaEmG0Yzo1LZox0v/Zbbdy6IC5SNJaMTSX/JeYhrONlMsCwB"
    "GMGOCplD7J7D0JhQUbSKb02b4DRWDJaQxmWjgmCh8r6igNpfnVTxXmt9Dn1512Q+n6J3ps"
    "S2OOIw4JfWm1/RNA99wSx34+15viIBFe+l2VHGP5V4PmZ7mNiOyMa3Rl9KSJJ8lKZxSLS+"
    "2CYrPptGLhdFwqZ2VMVBJXVSeuYtt+uOIu0fFJWRl5XzVvQEUoyjqzDW1YyyAngycHi2hJ"
    "Oq+zzpxWpWi63N09kyXK2NeDgV5dkmgl+3o+K7cEffFS6qJyu8oGbruESVUC4aD6DqK7Fh"
    "oO3uhmprXMN5kjItJkLmkyv+pm9vP/AXye5TY="
)
